/**
 * Answers "is every committed migration already applied?" with one read of
 * Prisma's own `_prisma_migrations` table, so a restart on an up-to-date
 * database does not spawn the Prisma CLI. Loading the CLI and its WASM schema
 * engine costs 2-4 s on an idle 2-core machine and 20 s and more under load
 * (issue 9: restarts after a kill took 24-40 s, issue 16: the first answer
 * came 9 s after start), while the read takes milliseconds.
 *
 * It only ever says "yes" when Prisma would do nothing: each migration folder
 * has a finished, not rolled-back row whose checksum (SHA-256 of
 * migration.sql, Prisma's own) matches. Anything else (a new folder, an
 * edited file, a failed migration, a missing table, an unreachable database)
 * answers "no", and `prisma migrate deploy` runs as before and reports it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadPostgresDriver } from './postgres-driver.js';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';
import { sqliteFilePath, type DatabaseProvider } from './database-url.js';

interface AppliedMigrationRow {
  migration_name: string;
  checksum: string;
}

const APPLIED_QUERY = 'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

export async function everyMigrationApplied(provider: DatabaseProvider, url: string, root: string = WORKSPACE_ROOT): Promise<boolean> {
  try {
    const committed = await committedMigrations(path.join(root, 'prisma', 'migrations', provider));
    if (committed.size === 0) return false;
    const applied = provider === 'sqlite' ? readSqliteApplied(url) : await readPostgresApplied(url);
    if (applied === null) return false;
    const checksums = new Map<string, Set<string>>();
    for (const row of applied) checksums.set(row.migration_name, (checksums.get(row.migration_name) ?? new Set()).add(row.checksum));
    return [...committed].every(([name, checksum]) => checksums.get(name)?.has(checksum) === true);
  } catch {
    return false;
  }
}

/** Folder name → SHA-256 of its migration.sql, as Prisma computes it. */
async function committedMigrations(folder: string): Promise<Map<string, string>> {
  const entries = await readdir(folder, { withFileTypes: true });
  const committed = new Map<string, string>();
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const script = await readFile(path.join(folder, entry.name, 'migration.sql'));
    committed.set(entry.name, createHash('sha256').update(script).digest('hex'));
  }
  return committed;
}

function readSqliteApplied(url: string): AppliedMigrationRow[] | null {
  const file = sqliteFilePath(url);
  if (!existsSync(file)) return null;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const table = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'`).get();
    return table === undefined ? null : (db.prepare(APPLIED_QUERY).all() as AppliedMigrationRow[]);
  } finally {
    db.close();
  }
}

async function readPostgresApplied(url: string): Promise<AppliedMigrationRow[] | null> {
  const pg = await loadPostgresDriver();
  const schema = new URL(url).searchParams.get('schema');
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    if (schema) await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
    const exists = await client.query<{ present: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS present`);
    if (!exists.rows[0]?.present) return null;
    return (await client.query<AppliedMigrationRow>(APPLIED_QUERY)).rows;
  } finally {
    await client.end().catch(() => undefined);
  }
}
