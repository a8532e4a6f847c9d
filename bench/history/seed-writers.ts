/**
 * Bulk writers for the seeding script: raw SQL through the drivers the product
 * already ships (better-sqlite3, pg), one transaction per batch. The product's
 * own write path (one Prisma create per probe) would take hours for 4.3 M rows.
 */
import { statSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { PROBE_COLUMNS, type SeedProbe } from './seed-profile.js';

export type SqlValue = string | number | boolean | Date | null;

/** Columns of a ProbeRollup row (failureCounts already encoded). */
export const ROLLUP_COLUMNS = [
  'mirrorId',
  'vantageId',
  'granularity',
  'bucketStart',
  'probes',
  'successes',
  'manifestP50Ms',
  'manifestP95Ms',
  'dnsP50Ms',
  'connectP50Ms',
  'tlsP50Ms',
  'pingTtfbP50Ms',
  'tokenP50Ms',
  'throughputP50BytesPerSec',
  'failureCounts',
] as const;
export type SeedRollup = Record<(typeof ROLLUP_COLUMNS)[number], SqlValue>;

export interface SeedWriter {
  /** Inserts rows of `table` (column names as in the Prisma model) in one transaction. */
  insert(table: string, columns: readonly string[], rows: readonly SqlValue[][]): Promise<void>;
  /** Database size on disk, in bytes. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}

export const probeValues = (probe: SeedProbe): SqlValue[] => PROBE_COLUMNS.map((column) => probe[column]);

const quoted = (columns: readonly string[]) => columns.map((column) => `"${column}"`).join(', ');

/** Prisma's SQLite adapter stores DateTime as ISO-8601 text with an explicit offset, booleans as 0/1. */
function sqliteValue(value: SqlValue): string | number | null {
  if (value instanceof Date) return value.toISOString().replace('Z', '+00:00');
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

export function openSqliteWriter(file: string): SeedWriter {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Seeding only: a crash means seeding again, so skip the fsyncs.
  db.pragma('synchronous = OFF');
  const statements = new Map<string, Database.Statement>();
  return {
    async insert(table, columns, rows) {
      const key = `${table}(${columns.join(',')})`;
      let statement = statements.get(key);
      if (!statement) {
        statement = db.prepare(`INSERT INTO "${table}" (${quoted(columns)}) VALUES (${columns.map(() => '?').join(', ')})`);
        statements.set(key, statement);
      }
      const insertAll = db.transaction((batch: readonly SqlValue[][]) => {
        for (const row of batch) statement.run(row.map(sqliteValue));
      });
      insertAll(rows);
    },
    async sizeBytes() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      return statSync(file).size;
    },
    async close() {
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}

/** PostgreSQL column types of the seeded columns, for unnest() casts. */
const PG_TYPES: Record<string, string> = {
  startedAt: 'timestamp(3)',
  bucketStart: 'timestamp(3)',
  endedAt: 'timestamp(3)',
  since: 'timestamp(3)',
  lastProbeAt: 'timestamp(3)',
  createdAt: 'timestamp(3)',
  updatedAt: 'timestamp(3)',
  lastDigestChangeAt: 'timestamp(3)',
  lastIntegrityFailureAt: 'timestamp(3)',
  retryNotBefore: 'timestamp(3)',
  durationMs: 'float8',
  dnsMs: 'float8',
  connectMs: 'float8',
  tlsMs: 'float8',
  pingTtfbMs: 'float8',
  tokenMs: 'float8',
  manifestMs: 'float8',
  blobTtfbMs: 'float8',
  blobTransferMs: 'float8',
  throughputBytesPerSec: 'float8',
  manifestP50Ms: 'float8',
  manifestP95Ms: 'float8',
  dnsP50Ms: 'float8',
  connectP50Ms: 'float8',
  tlsP50Ms: 'float8',
  pingTtfbP50Ms: 'float8',
  tokenP50Ms: 'float8',
  throughputP50BytesPerSec: 'float8',
  ok: 'bool',
  blobVerified: 'bool',
  enabled: 'bool',
  httpStatus: 'int4',
  blobBytes: 'int4',
  blobRedirects: 'int4',
  retryAfterSeconds: 'int4',
  probes: 'int4',
  successes: 'int4',
  consecutiveFailures: 'int4',
  consecutiveSuccesses: 'int4',
};

/** Prisma keeps DateTime as timestamp(3) without time zone, in UTC. */
function pgValue(value: SqlValue): string | number | boolean | null {
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  return value;
}

export async function openPostgresWriter(url: string): Promise<SeedWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query('SET synchronous_commit = off');
  return {
    async insert(table, columns, rows) {
      if (rows.length === 0) return;
      // One statement per batch: unnest() of one array per column beats multi-row VALUES (no 65,535-parameter limit).
      const arrays = columns.map((_, index) => rows.map((row) => pgValue(row[index] ?? null)));
      const casts = columns.map((column, index) => `$${index + 1}::${PG_TYPES[column] ?? 'text'}[]`).join(', ');
      await client.query(`INSERT INTO "${table}" (${quoted(columns)}) SELECT * FROM unnest(${casts})`, arrays);
    },
    async sizeBytes() {
      const { rows } = await client.query<{ size: string }>('SELECT pg_database_size(current_database()) AS size');
      return Number(rows[0]?.size ?? 0);
    },
    async close() {
      await client.query('ANALYZE');
      await client.end();
    },
  };
}

/** Seeding starts from an empty database: drop it (the product's migrations create it again). */
export async function dropPostgresDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name.replaceAll('"', '""')}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
