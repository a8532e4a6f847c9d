import type { SparklineBucketDto } from '@mirrorwatch/api-types';
import { gradeRatio, type CellGrade } from '../format/uptime-grade';

/** Drawing area of the sparkline, SVG user units: a latency line above a strip of success cells. */
export const SPARKLINE_SIZE = { width: 96, height: 26, lineTop: 2, lineBottom: 17, stripTop: 20, stripHeight: 6 } as const;

export interface SparklineModel {
  /** Path of the latency line; separate `M` runs where an hour had no successful probe (a gap, not a zero). */
  linePath: string;
  /** Hours with a latency but no neighbour to join, drawn as dots. */
  dots: { x: number; y: number }[];
  cells: { x: number; y: number; width: number; height: number; grade: CellGrade }[];
  /** For the accessible label; null when no hour has the figure. */
  minLatencyMs: number | null;
  maxLatencyMs: number | null;
  worstSuccessRate: number | null;
}

/** Failing hours stand taller, so the strip reads without colour too (as the uptime cells' notch does). */
const CELL_HEIGHT: Record<CellGrade, number> = { none: 0.34, good: 0.5, warn: 0.75, bad: 1 };

const round = (value: number) => Math.round(value * 10) / 10;

/**
 * Latency is scaled from 0 to the window's maximum, not min..max: a line that
 * wiggles between 80 and 84 ms must look flat, not like an outage.
 */
export function sparklineModel(buckets: readonly SparklineBucketDto[]): SparklineModel {
  const { width, lineTop, lineBottom } = SPARKLINE_SIZE;
  const step = buckets.length > 0 ? width / buckets.length : width;
  const latencies = buckets.flatMap((bucket) => (bucket.manifestP50Ms === null ? [] : [bucket.manifestP50Ms]));
  const rates = buckets.flatMap((bucket) => (bucket.successRate === null ? [] : [bucket.successRate]));
  const max = latencies.length > 0 ? Math.max(...latencies) : null;
  const y = (ms: number) => round(lineBottom - (max && max > 0 ? (ms / max) * (lineBottom - lineTop) : 0));
  const x = (index: number) => round(index * step + step / 2);

  const runs: { x: number; y: number }[][] = [];
  let current: { x: number; y: number }[] = [];
  buckets.forEach((bucket, index) => {
    if (bucket.manifestP50Ms === null) {
      if (current.length > 0) runs.push(current);
      current = [];
      return;
    }
    current.push({ x: x(index), y: y(bucket.manifestP50Ms) });
  });
  if (current.length > 0) runs.push(current);

  return {
    linePath: runs
      .filter((run) => run.length > 1)
      .map((run) => run.map((point, i) => `${i === 0 ? 'M' : 'L'}${point.x} ${point.y}`).join(' '))
      .join(' '),
    dots: runs.filter((run) => run.length === 1).flat(),
    // Cells are one unit narrower than their slot, so neighbouring hours stay distinguishable.
    cells: buckets.map((bucket, index) => {
      const grade = gradeRatio(bucket.successRate);
      const height = round(SPARKLINE_SIZE.stripHeight * CELL_HEIGHT[grade]);
      return {
        x: round(index * step),
        y: round(SPARKLINE_SIZE.stripTop + SPARKLINE_SIZE.stripHeight - height),
        width: round(Math.max(step - 1, 0.5)),
        height,
        grade,
      };
    }),
    minLatencyMs: latencies.length > 0 ? Math.min(...latencies) : null,
    maxLatencyMs: max,
    worstSuccessRate: rates.length > 0 ? Math.min(...rates) : null,
  };
}
