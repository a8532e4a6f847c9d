/**
 * Shared body of prisma/<provider>/prisma.config.ts: makes the Prisma 6 CLI run
 * fully offline on its WASM schema engine through a JS driver adapter, instead
 * of downloading native engines from a non-npm host (see prisma/README.md).
 *
 * Runs only inside the Prisma CLI process (generate, migrate deploy/dev/diff);
 * the application builds its own adapters in apps/api/src/infrastructure/persistence.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { defineConfig } from 'prisma/config';
import { DEFAULT_DATABASE_URL } from './defaults.mjs';

type Provider = 'sqlite' | 'postgresql';

const PRISMA_DIR = path.dirname(fileURLToPath(import.meta.url));
const REPO_ROOT = path.dirname(PRISMA_DIR);
/** Same default as the API (README, Configuration): the embedded SQLite file under data/. */
const DEFAULT_SQLITE_URL = `file:${path.resolve(REPO_ROOT, DEFAULT_DATABASE_URL.slice('file:'.length))}`;
/**
 * `prisma generate` needs `env("DATABASE_URL")` to resolve, else the CLI falls
 * back to the native engine and downloads it. This placeholder satisfies that
 * and is refused by the adapter factory, so migrate commands fail clearly.
 */
const PG_PLACEHOLDER_URL = 'postgresql://database-url-not-set.invalid/mirrorwatch';

export function cliConfig(provider: Provider) {
  unrefLongTimers();
  const url = databaseUrlFor(provider);
  process.env.DATABASE_URL = url;
  return defineConfig({
    experimental: { adapter: true },
    engine: 'js',
    schema: path.join(PRISMA_DIR, provider, 'schema.prisma'),
    migrations: { path: path.join(PRISMA_DIR, 'migrations', provider) },
    adapter: async () => (provider === 'sqlite' ? makeSqliteFactory(url) : makePgFactory(url)),
  });
}

/** With a config file the CLI does not read .env, so the default lives here. */
function databaseUrlFor(provider: Provider): string {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (provider === 'sqlite') {
    if (!fromEnv || !fromEnv.startsWith('file:')) return DEFAULT_SQLITE_URL;
    const file = fromEnv.slice('file:'.length);
    // Relative paths are relative to the repository root, as in the API.
    return path.isAbsolute(file) ? fromEnv : `file:${path.resolve(REPO_ROOT, file)}`;
  }
  return fromEnv && /^postgres(ql)?:\/\//.test(fromEnv) ? fromEnv : PG_PLACEHOLDER_URL;
}

/**
 * The WASM engine leaves 10-60 s timers behind after `migrate dev`, keeping the
 * CLI alive long after its work is done. Unref every long timer in this process.
 */
function unrefLongTimers(): void {
  const original = globalThis.setTimeout;
  const patched = ((handler: Parameters<typeof setTimeout>[0], ms?: number, ...args: unknown[]) => {
    const timer = original(handler, ms, ...args);
    if ((ms ?? 0) >= 5_000) (timer as unknown as { unref?: () => void }).unref?.();
    return timer;
  }) as typeof setTimeout;
  globalThis.setTimeout = Object.assign(patched, original);
}

function makeSqliteFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  const file = url.slice('file:'.length);
  if (!existsSync(path.dirname(file))) {
    throw new Error(`DATABASE_URL: directory of ${file} does not exist (the API creates it; or mkdir -p it).`);
  }
  const inner = new PrismaBetterSQLite3({ url, timeout: 5_000 });
  return {
    provider: inner.provider,
    adapterName: inner.adapterName,
    connect: async () => routeScriptsToExecuteScript(await inner.connect()),
    connectToShadowDb: async () => routeScriptsToExecuteScript(await inner.connectToShadowDb()),
  };
}

type SqlAdapter = Awaited<ReturnType<PrismaBetterSQLite3['connect']>>;

/**
 * `migrate dev` sends whole multi-statement migration scripts through
 * executeRaw, which better-sqlite3 refuses ("contains more than one
 * statement", P3006 on the shadow database). A parameterless script goes to
 * executeScript (sqlite3_exec) instead, which runs every statement.
 */
function routeScriptsToExecuteScript<T extends SqlAdapter>(adapter: T): T {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      if (property === 'executeRaw') {
        return async (query: Parameters<SqlAdapter['executeRaw']>[0]) => {
          if (query.args.length === 0 && hasSeveralStatements(query.sql)) {
            await target.executeScript(query.sql);
            return 0;
          }
          return target.executeRaw(query);
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function hasSeveralStatements(sql: string): boolean {
  return (
    sql
      .replace(/--.*$/gm, '')
      .split(';')
      .filter((part) => part.trim() !== '').length > 1
  );
}

/** pg's type OIDs for `"char"` and `name`, both plain text to us. */
const PG_CHAR_OID = 18;
const PG_NAME_OID = 19;
const PG_TEXT_OID = 25;

/**
 * The schema engine introspects pg_catalog, whose `name`/`"char"` columns
 * adapter-pg cannot map ("Column type 'name' could not be deserialized",
 * prisma/orm#27403). Report them as text from a pool that rewrites field OIDs.
 */
function textTypedPool(connectionString: string): pg.Pool {
  // allowExitOnIdle: the CLI does not always dispose of its adapter, and idle
  // pooled sockets would keep it alive for idleTimeoutMillis after its work.
  const pool = new pg.Pool({ connectionString, allowExitOnIdle: true });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: typeof query }).query = async (...args: unknown[]) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) {
      if (field.dataTypeID === PG_CHAR_OID || field.dataTypeID === PG_NAME_OID) field.dataTypeID = PG_TEXT_OID;
    }
    return result;
  };
  return pool;
}

function makePgFactory(url: string): SqlMigrationAwareDriverAdapterFactory {
  if (url === PG_PLACEHOLDER_URL) {
    throw new Error('DATABASE_URL must be set to a postgres:// or postgresql:// URL for PostgreSQL migrations.');
  }
  const primary = new PrismaPg(textTypedPool(url), { disposeExternalPool: true });
  return {
    provider: primary.provider,
    adapterName: primary.adapterName,
    connect: () => primary.connect(),
    connectToShadowDb: () => connectToShadowDb(url),
  };
}

/**
 * `migrate dev`/`diff --from-migrations` replay migrations in a scratch
 * database. SHADOW_DATABASE_URL names a fixed one; otherwise one is created
 * next to the main database and dropped when the CLI disposes of it.
 */
async function connectToShadowDb(url: string) {
  const fixed = process.env.SHADOW_DATABASE_URL?.trim();
  if (fixed) return new PrismaPg(textTypedPool(fixed), { disposeExternalPool: true }).connect();
  const name = `prisma_shadow_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const shadowUrl = new URL(url);
  shadowUrl.pathname = `/${name}`;
  const adapter = await new PrismaPg(textTypedPool(shadowUrl.toString()), { disposeExternalPool: true }).connect();
  const dispose = adapter.dispose.bind(adapter);
  adapter.dispose = async () => {
    await dispose();
    const dropper = new pg.Client({ connectionString: url });
    await dropper.connect();
    await dropper.query(`DROP DATABASE IF EXISTS "${name}"`);
    await dropper.end();
  };
  return adapter;
}
