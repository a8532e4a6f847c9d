import type pg from 'pg';
import { loadPostgresDriver } from '../persistence/postgres-driver.js';
import type { LeadershipLock } from './leadership-lock.js';

/** A lock query that has not answered in this long counts as a dead connection. */
const QUERY_TIMEOUT_MS = 5_000;
const CONNECT_TIMEOUT_MS = 5_000;

export interface AdvisoryLockLog {
  warn(message: object): void;
}

/**
 * A PostgreSQL session-level advisory lock on a dedicated connection. Session
 * locks belong to the connection that took them, so this cannot go through
 * Prisma's pool (a pooled connection would hand the lock to whichever query
 * runs on it next, and return it to the pool still held). When the connection
 * ends, the server releases the lock, so a crashed leader frees it without
 * help; TCP keepalive makes a silently dead peer noticed on both sides.
 */
export class PostgresAdvisoryLock implements LeadershipLock {
  private client: pg.Client | null = null;
  private held = false;
  private readonly lostListeners: Array<() => void> = [];

  constructor(
    private readonly connectionString: string,
    private readonly key: bigint,
    private readonly log: AdvisoryLockLog,
  ) {}

  async tryAcquire(): Promise<boolean> {
    if (this.held) return true;
    try {
      const client = await this.connection();
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [this.key.toString()]);
      this.held = rows[0]?.locked === true;
      return this.held;
    } catch (error) {
      this.log.warn({ msg: 'scheduler lock: attempt failed', err: messageOf(error) });
      await this.drop();
      return false;
    }
  }

  /** Asks the server whether this session still holds the key (pg_locks splits a bigint key into classid and objid). */
  async stillHeld(): Promise<boolean> {
    if (!this.held || !this.client) return false;
    try {
      const { rows } = await this.client.query<{ held: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM pg_locks
           WHERE locktype = 'advisory' AND pid = pg_backend_pid() AND granted AND objsubid = 1
             AND ((classid::bigint << 32) | objid::bigint) = $1::bigint
         ) AS held`,
        [this.key.toString()],
      );
      if (rows[0]?.held === true) return true;
    } catch (error) {
      this.log.warn({ msg: 'scheduler lock: heartbeat failed', err: messageOf(error) });
    }
    await this.drop();
    return false;
  }

  onLost(listener: () => void): void {
    this.lostListeners.push(listener);
  }

  async release(): Promise<void> {
    const client = this.client;
    if (client && this.held) {
      this.held = false;
      await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key.toString()]).catch(() => undefined);
    }
    await this.drop();
  }

  private async connection(): Promise<pg.Client> {
    // Loaded before the check so that check and assignment below stay in one synchronous step.
    const { Client } = await loadPostgresDriver();
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.connectionString,
      application_name: 'mirrorwatch-scheduler-lock',
      keepAlive: true,
      connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
      query_timeout: QUERY_TIMEOUT_MS,
    });
    // Without an 'error' listener a dropped connection would crash the process.
    client.on('error', (error) => {
      this.log.warn({ msg: 'scheduler lock: connection error', err: messageOf(error) });
      this.connectionEnded(client);
    });
    client.on('end', () => this.connectionEnded(client));
    this.client = client;
    try {
      await client.connect();
    } catch (error) {
      this.client = null;
      throw error;
    }
    return client;
  }

  private connectionEnded(client: pg.Client): void {
    if (this.client !== client) return;
    this.client = null;
    if (!this.held) return;
    // The server released the lock with the session: another replica may take over now.
    this.held = false;
    for (const listener of this.lostListeners) listener();
  }

  private async drop(): Promise<void> {
    const client = this.client;
    this.client = null;
    this.held = false;
    await client?.end().catch(() => undefined);
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
