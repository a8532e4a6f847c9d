import type { RedoDayRecord } from '#infrastructure/persistence/rollup-redo-day.repository.js';

export interface RedoDayPlan {
  /** Mirror-days before the pass's regular range: redone first, each record forgotten right after. */
  redo: RedoDayRecord[];
  /** Mirror-days the regular range redoes anyway: forgotten once it has. */
  covered: RedoDayRecord[];
  /** Records of days before the raw retention cutoff: dropped, never redone. */
  expired: number;
}

/**
 * Sorts a pass's recorded mirror-days. `regularFrom` is the first day the pass
 * redoes for every mirror (null when it redoes none); a record of a mirror the
 * pass does not know yet (added after it listed them) is redone on its own.
 */
export function splitRedoDays(
  records: readonly RedoDayRecord[],
  range: { retainedFrom: Date; regularFrom: Date | null; mirrorIds: readonly string[] },
): RedoDayPlan {
  const known = new Set(range.mirrorIds);
  const plan: RedoDayPlan = { redo: [], covered: [], expired: 0 };
  for (const record of records) {
    if (record.day.getTime() < range.retainedFrom.getTime()) plan.expired += 1;
    else if (range.regularFrom !== null && record.day.getTime() >= range.regularFrom.getTime() && known.has(record.mirrorId))
      plan.covered.push(record);
    else plan.redo.push(record);
  }
  return plan;
}
