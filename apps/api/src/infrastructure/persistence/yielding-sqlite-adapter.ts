import { setImmediate as nextLoopTurn, setTimeout as sleep } from 'node:timers/promises';

/** The part of a Prisma driver adapter this wrapper touches (the rest passes through). */
interface Connection {
  queryRaw(query: unknown): Promise<unknown>;
  executeRaw(query: unknown): Promise<unknown>;
  startTransaction(...args: unknown[]): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
  /** better-sqlite3's database, which the Prisma adapter keeps public: the write lock is taken on it directly. */
  client?: SqliteDatabase;
  /** The adapter's conversion of a driver error into Prisma's (throws). */
  onError?(error: unknown): never;
}

/** The part of better-sqlite3's Database used to take the write lock. */
interface SqliteDatabase {
  readonly inTransaction: boolean;
  prepare(sql: string): { run(): unknown };
}

interface ConnectionFactory {
  connect(): Promise<unknown>;
}

/**
 * How long a statement, or a transaction waiting for SQLite's write lock,
 * retries before it fails with SQLITE_BUSY: as long as Prisma lets a
 * transaction wait to start (prisma-client.factory.ts), since a writer on
 * another connection (the rollup thread at the lowest CPU priority) may wait
 * seconds for a core while it holds the lock.
 */
export const SQLITE_LOCK_WAIT_MS = 15_000;
/** First and longest pause between two attempts to take the lock. */
const FIRST_RETRY_MS = 2;
const LONGEST_RETRY_MS = 50;

/** SQLite refused because another connection holds the lock (the raw driver error, or Prisma's adapter error around it). */
export function isSqliteBusy(error: unknown): boolean {
  const code = (candidate: unknown): unknown =>
    typeof candidate === 'object' && candidate !== null
      ? ((candidate as { code?: unknown; originalCode?: unknown }).originalCode ?? (candidate as { code?: unknown }).code)
      : undefined;
  const direct = code(error);
  const wrapped = typeof error === 'object' && error !== null ? code((error as { cause?: unknown }).cause) : undefined;
  return [direct, wrapped].some((value) => typeof value === 'string' && value.startsWith('SQLITE_BUSY'));
}

/** Runs `attempt` until it does not fail with SQLITE_BUSY, pausing (asynchronously) longer each time, for up to SQLITE_LOCK_WAIT_MS. */
async function retryWhileBusy<R>(attempt: () => Promise<R>): Promise<R> {
  const giveUpAt = performance.now() + SQLITE_LOCK_WAIT_MS;
  for (let pauseMs = FIRST_RETRY_MS; ; pauseMs = Math.min(LONGEST_RETRY_MS, pauseMs * 2)) {
    try {
      return await attempt();
    } catch (error) {
      if (!isSqliteBusy(error) || performance.now() >= giveUpAt) throw error;
    }
    await sleep(pauseMs);
  }
}

/**
 * Keeps SQLite's synchronous driver from holding the API thread: the event
 * loop turns between statements, and waiting for another connection's write
 * lock is an asynchronous retry, never a sleep inside the driver.
 *
 * better-sqlite3 runs each statement synchronously and the Prisma adapter
 * hands back an already-resolved promise, so a chain of queries (a ranking
 * rebuild, a probe's record, the freshness verdicts) never returns to the
 * event loop: Prisma compiles, runs and maps them one after the other in
 * microtasks. Measured under `wrk` on recommended-daemon.json with probing
 * every 5 s, such chains held the API thread 0.5-0.9 s at a time, and every
 * request queued behind them waited that long (bench:recommended:blocking,
 * docs/benchmarks/recommended-daemon.md). One turn of the loop before each
 * statement slices a chain into statements, and requests are served between them.
 *
 * Statements inside a transaction yield too, and while one is open the
 * statements of other flows wait for its end: SQLite has one connection here,
 * and a statement let in between would run inside the transaction (committed
 * or rolled back with it). A transaction's statements must therefore go
 * through its own client (`tx`), never the outer one, which would wait for
 * the transaction it runs in (until Prisma's transaction timeout ends it).
 * Requests that need no database (liveness, what is served from memory) run
 * between a transaction's statements; a whole cycle's write held the thread
 * for 170-280 ms on a month's seed when it was one block.
 *
 * The lock: the rollup thread writes on a connection of its own (at the
 * lowest CPU priority), and SQLite's busy timeout would make a writer here
 * sleep inside the driver until that lock is free, the whole API thread with
 * it (issue 16: liveness 0.4-0.6 s). The connection runs with no busy timeout
 * (prisma-client.factory.ts), so a statement that meets the lock fails at
 * once with SQLITE_BUSY and is retried after a pause that lets the loop run.
 * A statement outside a transaction is retried as it is (a refused statement
 * changed nothing). A transaction takes the write lock when it begins
 * (BEGIN IMMEDIATE, retried the same way), so none of its statements can
 * meet the lock half-way, where a retry would be wrong; reads never wait in WAL mode.
 */
export function yieldingSqliteAdapter<T extends ConnectionFactory>(factory: T): T {
  return new Proxy(factory, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name, target);
      if (name !== 'connect') return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      return async () => yieldingConnection((await target.connect()) as Connection);
    },
  });
}

/**
 * Turns the transaction the adapter just began (a deferred BEGIN, which takes
 * no lock, under the adapter's own mutex) into one that holds the write lock.
 * While it waits no transaction is open on the connection, so other flows'
 * statements run meanwhile as usual; the mutex keeps other transactions out.
 */
async function holdWriteLock(connection: Connection): Promise<void> {
  const database = connection.client;
  if (database === undefined) return;
  if (database.inTransaction) database.prepare('ROLLBACK').run();
  try {
    await retryWhileBusy(async () => {
      database.prepare('BEGIN IMMEDIATE').run();
    });
  } catch (error) {
    if (connection.onError) connection.onError(error);
    throw error;
  }
}

function yieldingConnection(connection: Connection): Connection {
  /** Settles when the open transaction commits or rolls back; null while none is open. */
  let openTransaction: Promise<void> | null = null;
  /**
   * The turns handed out so far, one loop iteration apart. Statements that all
   * waited for "the next turn" (a Promise.all of reads) would otherwise all run
   * in that same turn, one block again: three grouped counts held the thread
   * 263 ms in one turn on a month's seed. Each statement gets a turn of its own.
   */
  let turns: Promise<void> = Promise.resolve();
  const ownTurn = (): Promise<void> => (turns = turns.then(() => nextLoopTurn()));
  const outsideTransaction =
    <R>(run: (query: unknown) => Promise<R>) =>
    async (query: unknown): Promise<R> => {
      await ownTurn();
      return retryWhileBusy(async () => {
        // Checked right before the statement runs (synchronously from here on), after every wait.
        while (openTransaction !== null) await openTransaction;
        return run(query);
      });
    };
  const queryRaw = outsideTransaction((query) => connection.queryRaw(query));
  const executeRaw = outsideTransaction((query) => connection.executeRaw(query));
  const startTransaction = async (...args: unknown[]) => {
    const transaction = await connection.startTransaction(...args);
    try {
      await holdWriteLock(connection);
    } catch (error) {
      // Releases the adapter's mutex; no transaction is open on the connection.
      await transaction.rollback();
      throw error;
    }
    let ended!: () => void;
    const current = new Promise<void>((resolve) => (ended = resolve));
    openTransaction = current;
    const close = () => {
      if (openTransaction === current) openTransaction = null;
      ended();
    };
    return new Proxy(transaction, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (name === 'commit' || name === 'rollback')
          return async () => {
            try {
              return await (value as () => Promise<void>).call(target);
            } finally {
              close();
            }
          };
        if (name === 'queryRaw' || name === 'executeRaw')
          return async (query: unknown) => {
            await ownTurn();
            return (value as (query: unknown) => Promise<unknown>).call(target, query);
          };
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  };
  return new Proxy(connection, {
    get(target, name) {
      if (name === 'queryRaw') return queryRaw;
      if (name === 'executeRaw') return executeRaw;
      if (name === 'startTransaction') return startTransaction;
      const value: unknown = Reflect.get(target, name, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
