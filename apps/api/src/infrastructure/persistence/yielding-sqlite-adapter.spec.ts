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

  it('gives statements started together a loop turn each, not one turn for all of them', async () => {
    const events: string[] = [];
    const connection = (await yieldingSqliteAdapter(recordingFactory(events)).connect()) as {
      queryRaw(query: unknown): Promise<unknown>;
    };
    let turning = true;
    const turn = () => {
      if (!turning) return;
      events.push('turn');
      setImmediate(turn);
    };
    setImmediate(turn);
    await Promise.all([connection.queryRaw('a'), connection.queryRaw('b'), connection.queryRaw('c')]);
    turning = false;
    const between = (from: string, to: string) => events.slice(events.indexOf(from) + 1, events.indexOf(to));
    expect(between('query a', 'query b')).toContain('turn');
    expect(between('query b', 'query c')).toContain('turn');
  });

  it("turns the loop before a transaction's statements too, and holds other flows' statements until it ends", async () => {
    const events: string[] = [];
    const connection = (await yieldingSqliteAdapter(recordingFactory(events)).connect()) as {
      queryRaw(query: unknown): Promise<unknown>;
      startTransaction(): Promise<{ queryRaw(query: unknown): Promise<unknown>; commit(): Promise<void>; rollback(): Promise<void> }>;
    };
    const transaction = await connection.startTransaction();
    await turnMarked(events, () => transaction.queryRaw('in tx'));
    // Another flow's statement while the transaction is open: run now, it would be part of the transaction.
    const beside = connection.queryRaw('beside tx');
    await turnMarked(events, () => transaction.queryRaw('still in tx'));
    await transaction.commit();
    await transaction.commit();
    await beside;
    await turnMarked(events, () => connection.queryRaw('after commit'));
    const second = await connection.startTransaction();
    const besideSecond = connection.queryRaw('beside second');
    await second.rollback();
    await besideSecond;
    expect(events).toEqual([
      'begin',
      'turn',
      'tx query in tx',
      'turn',
      'tx query still in tx',
      'commit',
      'query beside tx',
      'commit',
      'turn',
      'query after commit',
      'begin',
      'rollback',
      'query beside second',
    ]);
  });
});
