import { setImmediate as nextLoopTurn } from 'node:timers/promises';

/** The part of a Prisma driver adapter this wrapper touches (the rest passes through). */
interface Connection {
  queryRaw(query: unknown): Promise<unknown>;
  executeRaw(query: unknown): Promise<unknown>;
  startTransaction(...args: unknown[]): Promise<{ commit(): Promise<void>; rollback(): Promise<void> }>;
}

interface ConnectionFactory {
  connect(): Promise<unknown>;
}

/**
 * Lets the event loop run between SQLite statements outside transactions.
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
 * Statements inside a transaction do not yield: SQLite has one connection
 * here, and a statement of another flow let in between would run inside the
 * transaction (committed or rolled back with it). A transaction therefore
 * stays one block, as before; keeping them short is the write path's job.
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

function yieldingConnection(connection: Connection): Connection {
  let openTransactions = 0;
  const afterTurn =
    <R>(run: (query: unknown) => Promise<R>) =>
    async (query: unknown): Promise<R> => {
      if (openTransactions === 0) await nextLoopTurn();
      return run(query);
    };
  const queryRaw = afterTurn((query) => connection.queryRaw(query));
  const executeRaw = afterTurn((query) => connection.executeRaw(query));
  const startTransaction = async (...args: unknown[]) => {
    const transaction = await connection.startTransaction(...args);
    openTransactions += 1;
    let open = true;
    const close = () => {
      if (open) openTransactions -= 1;
      open = false;
    };
    return new Proxy(transaction, {
      get(target, name) {
        const value: unknown = Reflect.get(target, name, target);
        if (name === 'commit' || name === 'rollback')
          return () => {
            close();
            return (value as () => Promise<void>).call(target);
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
