import { createHash } from 'node:crypto';

/** Namespace of the lock key, so it cannot collide with another application's advisory locks on a shared server. */
const KEY_PREFIX = 'mirrorwatch-scheduler:';

/**
 * The advisory lock key of one vantage's scheduler: the first 8 bytes of
 * SHA-256('mirrorwatch-scheduler:' + vantage) with the sign bit cleared, as
 * `pg_try_advisory_lock(bigint)` takes a signed 64-bit key. Stable across
 * versions and processes, which is the whole point: every replica must
 * compute the same number.
 */
export function schedulerLockKey(vantage: string): bigint {
  const digest = createHash('sha256')
    .update(KEY_PREFIX + vantage)
    .digest();
  return digest.readBigUInt64BE(0) & 0x7fff_ffff_ffff_ffffn;
}
