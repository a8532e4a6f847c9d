/**
 * The most a Retry-After is read as (a year): the value is stored in a 32-bit
 * column and added to a Date, so `999...9` must stay a finite, storable
 * number. How much of it the scheduler honours is its own, smaller cap.
 */
export const RETRY_AFTER_MAX_SECONDS = 365 * 24 * 3600;

/**
 * Parses Retry-After (RFC 9110 §10.2.3): either delta-seconds or an HTTP-date.
 * Returns whole seconds from `now`, from 0 to RETRY_AFTER_MAX_SECONDS, or null when absent or unparseable.
 */
export function parseRetryAfter(value: string | null | undefined, now: Date = new Date()): number | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number.parseInt(trimmed, 10), RETRY_AFTER_MAX_SECONDS);
  if (!/[a-z]/i.test(trimmed)) return null;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.min(Math.max(0, Math.ceil((at - now.getTime()) / 1000)), RETRY_AFTER_MAX_SECONDS);
}
