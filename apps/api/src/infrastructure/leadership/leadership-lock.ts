/**
 * The port the scheduler election talks to: one exclusive lock per vantage,
 * held for as long as this process stays the scheduler. Implementations:
 * a PostgreSQL session advisory lock, or "always held" for SQLite.
 */
export interface LeadershipLock {
  /** One attempt, never waits: true when this process holds the lock after the call. */
  tryAcquire(): Promise<boolean>;
  /** While held: whether it still is (the connection that holds it is alive). */
  stillHeld(): Promise<boolean>;
  /** `listener` runs when the lock is lost without being released (its connection dropped). */
  onLost(listener: () => void): void;
  /** Gives the lock up (and the resources behind it); safe to call when not held. */
  release(): Promise<void>;
}
