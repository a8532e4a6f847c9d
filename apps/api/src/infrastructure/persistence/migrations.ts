/**
 * Applies the committed migrations (prisma/migrations/<provider>/) at API
 * start-up with the local Prisma CLI's `migrate deploy`, which runs offline on
 * the WASM schema engine through prisma/<provider>/prisma.config.ts.
 */
import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { loadPostgresDriver } from './postgres-driver.js';
import { prismaCliPath } from '../../../../../prisma/defaults.mjs';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';
import { everyMigrationApplied } from './applied-migrations.js';
import { databaseProviderFromUrl, resolveDatabaseUrl, sqliteFilePath, type DatabaseProvider } from './database-url.js';

export const DEFAULT_MIGRATION_TIMEOUT_MS = 120_000;
/** PostgreSQL SQLSTATE invalid_catalog_name: the database does not exist. */
const PG_UNDEFINED_DATABASE = '3D000';
const OUTPUT_TAIL_CHARS = 4_000;

export interface MigrationOutcome {
  provider: DatabaseProvider;
  durationMs: number;
  /** What `prisma migrate deploy` printed (which migrations it applied). */
  output: string;
  /** False when every committed migration was already applied and the CLI was not started. */
  ranCli: boolean;
}

export class MigrationError extends Error {
  override readonly name = 'MigrationError';
}

export async function applyMigrations(url: string, options: { timeoutMs?: number } = {}): Promise<MigrationOutcome> {
  const started = Date.now();
  const resolved = resolveDatabaseUrl(url);
  const provider = databaseProviderFromUrl(resolved);
  if (provider === 'sqlite') await mkdir(path.dirname(sqliteFilePath(resolved)), { recursive: true });
  else await createPostgresDatabaseIfMissing(resolved);
  if (await everyMigrationApplied(provider, resolved)) {
    return { provider, durationMs: Date.now() - started, output: 'every committed migration is applied', ranCli: false };
  }
  const output = await runMigrateDeploy(provider, resolved, options.timeoutMs ?? DEFAULT_MIGRATION_TIMEOUT_MS);
  return { provider, durationMs: Date.now() - started, output, ranCli: true };
}

/**
 * The JS schema engine, unlike the native one, does not create a missing
 * database; do it so a fresh `DATABASE_URL` works as it does for SQLite.
 */
async function createPostgresDatabaseIfMissing(url: string): Promise<void> {
  const pg = await loadPostgresDriver();
  const probe = new pg.Client({ connectionString: url });
  try {
    await probe.connect();
    return;
  } catch (error) {
    if ((error as { code?: string }).code !== PG_UNDEFINED_DATABASE) {
      throw new MigrationError(`DATABASE_URL: cannot connect to PostgreSQL: ${(error as Error).message}`, { cause: error });
    }
  } finally {
    await probe.end().catch(() => undefined);
  }
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  target.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: target.toString() });
  try {
    await admin.connect();
    await admin.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } catch (error) {
    // Another replica may have won the race: 42P04 duplicate_database, or 23505
    // when both CREATE DATABASE statements reach pg_database's unique index at once.
    const code = (error as { code?: string }).code;
    if (code !== '42P04' && code !== '23505') {
      throw new MigrationError(`cannot create PostgreSQL database "${name}": ${(error as Error).message}`, { cause: error });
    }
  } finally {
    await admin.end().catch(() => undefined);
  }
}

function runMigrateDeploy(provider: DatabaseProvider, url: string, timeoutMs: number): Promise<string> {
  const config = path.join(WORKSPACE_ROOT, 'prisma', provider, 'prisma.config.ts');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [prismaCliPath(), 'migrate', 'deploy', '--config', config], {
      cwd: WORKSPACE_ROOT,
      env: { ...process.env, DATABASE_URL: url, CHECKPOINT_DISABLE: '1', PRISMA_HIDE_UPDATE_MESSAGE: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_TAIL_CHARS);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new MigrationError(`cannot run the Prisma CLI: ${error.message}`, { cause: error }));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) return resolve(output);
      const why = signal === 'SIGKILL' ? `timed out after ${timeoutMs} ms` : `exited with ${signal ?? `code ${code}`}`;
      reject(new MigrationError(`prisma migrate deploy (${provider}) ${why}:\n${output.trim()}`));
    });
  });
}
