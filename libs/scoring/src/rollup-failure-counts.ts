import { FAILURE_CLASSES, isFailureClass, type FailureClass } from '@mirrorwatch/domain';

/**
 * ProbeRollup.failureCounts: failed probes per class as "class:count,class:count"
 * in FAILURE_CLASSES order ("" for none). A string column rather than a child
 * table: the counts are written with the bucket's own upsert (one row, atomic,
 * idempotent on re-runs without deleting child rows), read without joins, never
 * filtered by class in SQL, and the closed set of classes keeps it short. It
 * works the same on SQLite and PostgreSQL (no Json, no arrays).
 */
export type FailureCounts = Partial<Record<FailureClass, number>>;

export class FailureCountsFormatError extends Error {
  override readonly name = 'FailureCountsFormatError';
}

const ENTRY = /^([a-z_]+):([1-9][0-9]*)$/;

export function encodeFailureCounts(counts: FailureCounts): string {
  return FAILURE_CLASSES.flatMap((failureClass) => {
    const count = counts[failureClass] ?? 0;
    if (!Number.isSafeInteger(count) || count < 0)
      throw new FailureCountsFormatError(`failure count for ${failureClass} must be a non-negative integer, got ${count}`);
    return count === 0 ? [] : [`${failureClass}:${count}`];
  }).join(',');
}

/**
 * The inverse of encodeFailureCounts. A class the domain no longer knows
 * counts as 'internal', as ProbeRepository reads an unknown stored class, so a
 * failure is never dropped; a malformed entry is corruption and throws.
 */
export function decodeFailureCounts(text: string): FailureCounts {
  const counts: FailureCounts = {};
  if (text === '') return counts;
  for (const entry of text.split(',')) {
    const match = ENTRY.exec(entry);
    if (!match?.[1] || !match[2])
      throw new FailureCountsFormatError(`malformed failure count entry ${JSON.stringify(entry)} in ${JSON.stringify(text)}`);
    const failureClass: FailureClass = isFailureClass(match[1]) ? match[1] : 'internal';
    counts[failureClass] = (counts[failureClass] ?? 0) + Number(match[2]);
  }
  return counts;
}
