import { describe, expect, it } from 'vitest';
import { yieldingSqliteAdapter } from './yielding-sqlite-adapter.js';

/** A driver connection that records the order of statements and of the loop turns queued before them. */
function recordingFactory(events: string[]) {
  const connection = {
    provider: 'sqlite',
    queryRaw: (query: unknown) => {
      events.push(`query ${String(query)}`);
      return Promise.resolve({ rows: [] });
    },
    executeRaw: (query: unknown) => {
      events.push(`execute ${String(query)}`);
      return Promise.resolve(1);
    },
    startTransaction: () => {
      events.push('begin');
      return Promise.resolve({
        queryRaw: (query: unknown) => {
          events.push(`tx query ${String(query)}`);
          return Promise.resolve({ rows: [] });
        },
        commit: () => {
          events.push('commit');
          return Promise.resolve();
        },
        rollback: () => {
          events.push('rollback');
          return Promise.resolve();
        },
      });
    },
  };
  return { provider: 'sqlite', connect: () => Promise.resolve(connection) };
}

/** Runs `statement` with a loop-turn marker queued first: the marker comes first only if the statement yielded. */
async function turnMarked(events: string[], statement: () => Promise<unknown>): Promise<void> {
  setImmediate(() => events.push('turn'));
  await statement();
}

describe('yieldingSqliteAdapter', () => {
  it('lets the event loop turn before each statement outside a transaction', async () => {
    const events: string[] = [];
    const connection = (await yieldingSqliteAdapter(recordingFactory(events)).connect()) as {
      queryRaw(query: unknown): Promise<unknown>;
      executeRaw(query: unknown): Promise<unknown>;
      provider: string;
    };
    await turnMarked(events, () => connection.queryRaw('a'));
    await turnMarked(events, () => connection.executeRaw('b'));
    expect(events).toEqual(['turn', 'query a', 'turn', 'execute b']);
    expect(connection.provider).toBe('sqlite');
  });

  it('runs a transaction without turns, and yields again once it is committed or rolled back', async () => {
    const events: string[] = [];
    const connection = (await yieldingSqliteAdapter(recordingFactory(events)).connect()) as {
      queryRaw(query: unknown): Promise<unknown>;
      startTransaction(): Promise<{ queryRaw(query: unknown): Promise<unknown>; commit(): Promise<void>; rollback(): Promise<void> }>;
    };
    const transaction = await connection.startTransaction();
    await turnMarked(events, () => transaction.queryRaw('in tx'));
    // Another flow's statement while the transaction is open: yielding would let it in between the transaction's statements.
    await turnMarked(events, () => connection.queryRaw('beside tx'));
    await transaction.commit();
    await transaction.commit();
    await turnMarked(events, () => connection.queryRaw('after commit'));
    const second = await connection.startTransaction();
    await second.rollback();
    await turnMarked(events, () => connection.queryRaw('after rollback'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(events).toEqual([
      'begin',
      'tx query in tx',
      'query beside tx',
      'commit',
      'commit',
      'turn',
      'turn',
      'turn',
      'query after commit',
      'begin',
      'rollback',
      'turn',
      'query after rollback',
    ]);
  });
});
