/**
 * The one place that knows SQLite and PostgreSQL apart at run time: which
 * generated client to load, which driver adapter to give it, and the
 * per-connection settings each database needs. Repositories see one
 * `PrismaClient` type and never branch on the provider.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the generated client (prisma/generated, gitignored) belongs to no Nx project; this file is its only importer.
import type { PrismaClient as GeneratedSqliteClient, Prisma as GeneratedPrisma } from '../../../../../prisma/generated/sqlite/index.js';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';
import { databaseProviderFromUrl, resolveDatabaseUrl, type DatabaseProvider } from './database-url.js';
import { yieldingSqliteAdapter } from './yielding-sqlite-adapter.js';

/**
 * Both generated clients come from the same prisma/models.prisma, so their
 * model APIs are identical; the SQLite one is used as the common type because
 * it is the narrower of the two (no `mode: 'insensitive'`, no `skipDuplicates`),
 * which keeps repositories to what both providers accept.
 */
export type PrismaClient = GeneratedSqliteClient;
// eslint-disable-next-line @nx/enforce-module-boundaries -- the generated client (prisma/generated, gitignored) belongs to no Nx project; this file is its only importer.
export type {
  CoverageCheck as CoverageCheckRow,
  ReferenceImageCheck as ReferenceImageCheckRow,
  Incident as IncidentRow,
  Mirror as MirrorRow,
  MirrorState as MirrorStateRow,
  NotificationChannel as NotificationChannelRow,
  Probe as ProbeRow,
  ProbeRollup as ProbeRollupRow,
  Recommendation as RecommendationRow,
} from '../../../../../prisma/generated/sqlite/index.js';

/**
 * SQLite's busy timeout: none. A statement that meets another connection's
 * write lock fails at once and yielding-sqlite-adapter.ts retries it after an
 * asynchronous pause; with a busy timeout better-sqlite3 sleeps inside the
 * statement, and the thread that issued it (the API's) stops with it.
 */
const SQLITE_BUSY_TIMEOUT_MS = 0;

/**
 * Bounds of every interactive transaction. Prisma's defaults (2 s to get a
 * connection, 5 s to finish) are shorter than a busy 2-core machine takes
 * when start-up work, a probe cycle of 16 concurrent probes and the ranking
 * share PostgreSQL's pool: the product failed to start there ("Unable to
 * start a transaction in the given time", "A query cannot be executed on an
 * expired transaction", issue 16). A transaction that outlives these is still
 * refused, so a stuck one cannot hold a connection or SQLite's write lock for ever.
 */
const TRANSACTION_BOUNDS = { maxWait: 15_000, timeout: 60_000 } as const;

/** A raw SQL fragment, built by the tags of the client that runs it (each generated client has its own copy of the runtime). */
export type Sql = GeneratedPrisma.Sql;

/** Prisma's tags for `$queryRaw`: placeholders in each provider's syntax, values always bound. */
export interface SqlTags {
  sql(strings: readonly string[], ...values: unknown[]): Sql;
  join(values: readonly unknown[], separator?: string): Sql;
  raw(text: string): Sql;
}

type GeneratedModule = {
  PrismaClient: new (options: { adapter: unknown; transactionOptions?: typeof TRANSACTION_BOUNDS }) => PrismaClient;
  Prisma: SqlTags;
};

const sqlTagsByClient = new WeakMap<PrismaClient, SqlTags>();
const providerByClient = new WeakMap<PrismaClient, DatabaseProvider>();

/**
 * The SQL tags of the runtime `client` was loaded with: a fragment from the
 * other provider's runtime would not be recognised as SQL when nested.
 */
export function sqlTagsOf(client: PrismaClient): SqlTags {
  const tags = sqlTagsByClient.get(client);
  if (!tags) throw new Error('this Prisma client was not created by createPrismaClient');
  return tags;
}

/**
 * A token that changes with every committed change of the Mirror table made
 * by another process, for caches of mirrors (MirrorRepository); null where
 * no other process writes the database. A SQLite file has exactly one
 * process (create-leadership-lock.ts: no election there), whose own writes
 * its caches see as they make them. Several replicas may share PostgreSQL:
 * there the token lists every row's `xmin`, the transaction that wrote its
 * current version, so an insert, update or delete by anyone changes it (a
 * transaction id is never reused for a newer version of a row; a freeze
 * that rewrites one only costs a needless re-read). One small statement,
 * without Prisma's query compiler.
 */
export function foreignMirrorChangesOf(client: PrismaClient): (() => Promise<string>) | null {
  const provider = providerByClient.get(client);
  if (provider === undefined) throw new Error('this Prisma client was not created by createPrismaClient');
  if (provider === 'sqlite') return null;
  const { sql } = sqlTagsOf(client);
  return async () => {
    const rows = await client.$queryRaw<{ version: string | null }[]>(
      sql`SELECT COUNT(*)::text || ':' || COALESCE(md5(string_agg("id" || ':' || xmin::text, ',' ORDER BY "id")), '') AS "version" FROM "Mirror"`,
    );
    return rows[0]?.version ?? '';
  };
}

/**
 * The generated clients are CommonJS (prisma-client-js) under
 * prisma/generated/<provider>/, built by `npm run db:generate`. Loading them
 * with require keeps them out of any bundler or vitest transform and works
 * from both src/ and dist/.
 */
function loadGeneratedClient(provider: DatabaseProvider): GeneratedModule {
  const require = createRequire(import.meta.url);
  const entry = path.join(WORKSPACE_ROOT, 'prisma', 'generated', provider, 'index.js');
  try {
    return require(entry) as GeneratedModule;
  } catch (error) {
    throw new Error(`Prisma client for ${provider} is missing (${entry}): run \`npm run db:generate\` (part of \`npm run build\`).`, {
      cause: error,
    });
  }
}

/** Only the provider in use is loaded: the other driver (pg, or better-sqlite3) would only cost memory (issue 10). */
async function createAdapter(provider: DatabaseProvider, url: string): Promise<unknown> {
  if (provider === 'sqlite') {
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    // better-sqlite3's `timeout` is SQLite's busy timeout. Statements run synchronously on this thread: let requests
    // in between them, and wait for another connection's write lock asynchronously (yielding-sqlite-adapter.ts).
    return yieldingSqliteAdapter(new PrismaBetterSQLite3({ url, timeout: SQLITE_BUSY_TIMEOUT_MS }));
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  return new PrismaPg({ connectionString: url });
}

/** Settings that belong to the connection, applied once after connecting. */
async function configureConnection(provider: DatabaseProvider, client: PrismaClient): Promise<void> {
  if (provider !== 'sqlite') return;
  // WAL lets API reads proceed while the scheduler writes; it persists in the file.
  // These PRAGMAs return rows, hence $queryRawUnsafe rather than $executeRawUnsafe.
  await client.$queryRawUnsafe('PRAGMA journal_mode = WAL');
  await client.$queryRawUnsafe(`PRAGMA busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  // Cascade deletes from Mirror rely on enforced foreign keys (off by default in SQLite).
  await client.$queryRawUnsafe('PRAGMA foreign_keys = ON');
}

/** A statement as Prisma hands it to the driver adapter. */
export interface AdapterQuery {
  sql: string;
  args: unknown[];
  argTypes: unknown[];
}

/** The driver connection that ran a statement: runs another one (an EXPLAIN of it) the same way. */
export interface AdapterQueryable {
  queryRaw(query: AdapterQuery): Promise<{ columnNames: string[]; rows: unknown[][] }>;
}

/** Sees every statement the client reads with, and the connection it ran on (tests of query plans). */
export type QueryObserver = (query: AdapterQuery, connection: AdapterQueryable) => void;

type AdapterFactory = { connect(): Promise<AdapterQueryable> };

/** Wraps the adapter factory so each connection reports its queryRaw calls; everything else passes through. */
function observeAdapter(factory: AdapterFactory, observe: QueryObserver): AdapterFactory {
  const bindAll = <T extends object>(target: T, wrap: (name: string | symbol, value: unknown) => unknown): T =>
    new Proxy(target, {
      get(object, name) {
        const value: unknown = Reflect.get(object, name, object);
        const wrapped = wrap(name, value);
        return typeof wrapped === 'function' ? (wrapped as (...args: unknown[]) => unknown).bind(object) : wrapped;
      },
    });
  return bindAll(factory, (name, value) =>
    name !== 'connect'
      ? value
      : async function connect(this: AdapterFactory) {
          const connection = await factory.connect();
          return bindAll(connection, (method, member) =>
            method !== 'queryRaw'
              ? member
              : async (query: AdapterQuery) => {
                  observe(query, connection);
                  return connection.queryRaw(query);
                },
          );
        },
  );
}

/**
 * A connected client for `url` (file: -> SQLite, postgres(ql):// -> PostgreSQL).
 * Relative SQLite paths are relative to the repository root.
 */
export async function createPrismaClient(url: string, options: { observeQueries?: QueryObserver } = {}): Promise<PrismaClient> {
  const resolved = resolveDatabaseUrl(url);
  const provider = databaseProviderFromUrl(resolved);
  const { PrismaClient: Client, Prisma: tags } = loadGeneratedClient(provider);
  const adapter = await createAdapter(provider, resolved);
  const client = new Client({
    adapter: options.observeQueries ? observeAdapter(adapter as AdapterFactory, options.observeQueries) : adapter,
    transactionOptions: TRANSACTION_BOUNDS,
  });
  sqlTagsByClient.set(client, tags);
  providerByClient.set(client, provider);
  await client.$connect();
  try {
    await configureConnection(provider, client);
  } catch (error) {
    await client.$disconnect();
    throw error;
  }
  return client;
}
