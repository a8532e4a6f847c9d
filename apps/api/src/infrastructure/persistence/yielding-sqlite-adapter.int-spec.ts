import Database from 'better-sqlite3';
import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openTestDatabase, type TestDatabase } from './testing/test-database.js';

/**
 * Another connection (the rollup thread's, in the product) holds SQLite's
 * write lock: the API thread's writes wait for it without stopping the event
 * loop, and a transaction holds the lock from its first statement on.
 */
describe('SQLite write lock on the yielding adapter', () => {
  let db: TestDatabase;
  let other: Database.Database;

  beforeAll(async () => {
    db = await openTestDatabase('sqlite', null);
    other = new Database(db.url.replace(/^file:/, ''), { timeout: 0 });
  });
  afterEach(() => {
    if (other.inTransaction) other.prepare('ROLLBACK').run();
  });
  afterAll(async () => {
    other.close();
    await db.close();
  });

  /** Counts event-loop turns until `settled` is true or `turns` have passed. */
  async function turnsWhile(pending: () => boolean, turns: number): Promise<number> {
    let counted = 0;
    while (pending() && counted < turns) {
      await nextLoopTurn();
      counted += 1;
    }
    return counted;
  }

  it('waits for the lock asynchronously, then writes: a statement and a transaction', async () => {
    other.prepare('BEGIN IMMEDIATE').run();
    let settled = false;
    const client = db.prisma.client;
    const writes = Promise.all([
      client.vantage.create({ data: { id: 'single', name: 'single' } }),
      client.$transaction(async (tx) => {
        await tx.vantage.create({ data: { id: 'in-tx', name: 'in tx' } });
        await tx.vantage.update({ where: { id: 'in-tx' }, data: { notes: 'updated' } });
      }),
    ]).finally(() => {
      settled = true;
    });
    // With a busy timeout the driver would sleep on this thread: no turn would run and the writes would fail.
    expect(await turnsWhile(() => !settled, 200)).toBe(200);
    expect(settled).toBe(false);
    other.prepare('COMMIT').run();
    await writes;
    const stored = await client.vantage.findMany({ where: { id: { in: ['single', 'in-tx'] } }, orderBy: { id: 'asc' } });
    expect(stored.map((vantage) => [vantage.id, vantage.notes])).toEqual([
      ['in-tx', 'updated'],
      ['single', null],
    ]);
  });

  it('takes the write lock when a transaction begins, before its first write', async () => {
    const attempts: string[] = [];
    await db.prisma.client.$transaction(async (tx) => {
      await tx.vantage.findMany({ select: { id: true } });
      try {
        other.prepare('BEGIN IMMEDIATE').run();
        attempts.push('other writer got the lock');
        other.prepare('ROLLBACK').run();
      } catch (error) {
        attempts.push((error as { code?: string }).code ?? String(error));
      }
    });
    expect(attempts).toEqual(['SQLITE_BUSY']);
    // Once committed, the lock is free again.
    other.prepare('BEGIN IMMEDIATE').run();
    other.prepare('ROLLBACK').run();
  });
});
