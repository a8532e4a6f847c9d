import { bucketStart, nextBucketStart } from '@mirrorwatch/scoring';

/** Run a little after the hour, so probes started at :59 have finished and been stored. */
export const ROLLUP_DELAY_AFTER_HOUR_MS = 2 * 60_000;

/** The next run: this hour's slot if it is still ahead, else the next hour's. */
export function nextRollupAt(now: Date): Date {
  const slot = new Date(bucketStart('hour', now).getTime() + ROLLUP_DELAY_AFTER_HOUR_MS);
  return slot.getTime() > now.getTime()
    ? slot
    : new Date(nextBucketStart('hour', bucketStart('hour', now)).getTime() + ROLLUP_DELAY_AFTER_HOUR_MS);
}

/**
 * Where a run starts rolling up: at the newest hourly rollup (it may be of a
 * then-unfinished hour), so a run after downtime catches up on every hour it
 * missed; before any rollup exists, at the oldest raw probe, so a database
 * from before rollups existed loses nothing to the first retention pass.
 */
export function rollupStart(newestHourly: Date | null, oldestRaw: Date | null, now: Date): Date {
  return newestHourly ?? oldestRaw ?? now;
}

/**
 * The UTC day starts a pass rolls up: from the day containing `from` (a
 * resumed pass redoes that day whole, for every mirror) through today.
 */
export function dayStarts(from: Date, now: Date): Date[] {
  const days: Date[] = [];
  for (let day = bucketStart('day', from); day.getTime() <= now.getTime(); day = nextBucketStart('day', day)) days.push(day);
  return days;
}
