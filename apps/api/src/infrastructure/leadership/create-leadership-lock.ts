import { databaseProviderFromUrl } from '../persistence/database-url.js';
import { AlwaysHeldLock } from './always-held-lock.js';
import type { LeadershipLock } from './leadership-lock.js';
import { PostgresAdvisoryLock, type AdvisoryLockLog } from './postgres-advisory-lock.js';
import { schedulerLockKey } from './scheduler-lock-key.js';

/**
 * The one place where the scheduler election differs by database: PostgreSQL
 * may be shared by several API replicas, so they elect one scheduler per
 * vantage with an advisory lock; a SQLite file has exactly one process.
 */
export function createLeadershipLock(databaseUrl: string, vantage: string, log: AdvisoryLockLog): LeadershipLock {
  if (databaseProviderFromUrl(databaseUrl) === 'sqlite') return new AlwaysHeldLock();
  return new PostgresAdvisoryLock(databaseUrl.trim(), schedulerLockKey(vantage), log);
}
