import type { LeadershipLock } from './leadership-lock.js';

/**
 * SQLite: the database is one file that one process owns (replicas would need
 * a shared file, which SQLite over a network file system does not support),
 * so that process is always the scheduler.
 */
export class AlwaysHeldLock implements LeadershipLock {
  tryAcquire(): Promise<boolean> {
    return Promise.resolve(true);
  }

  stillHeld(): Promise<boolean> {
    return Promise.resolve(true);
  }

  onLost(): void {
    // Never lost: nothing else can take a lock no one else competes for.
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}
