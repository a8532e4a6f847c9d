export type CellGrade = 'none' | 'good' | 'warn' | 'bad';

/**
 * Grades a bucket or day by its success ratio, Statuspage-style: a single
 * failed probe out of hundreds is still "good" (≥ 99 %), most failing is "bad".
 */
export function gradeUptime(successes: number, probes: number): CellGrade {
  if (probes <= 0) return 'none';
  return gradeRatio(successes / probes);
}

/** The same grading for a ratio already computed (null: nothing ran). */
export function gradeRatio(ratio: number | null): CellGrade {
  if (ratio === null || !Number.isFinite(ratio)) return 'none';
  if (ratio >= 0.99) return 'good';
  if (ratio >= 0.9) return 'warn';
  return 'bad';
}
