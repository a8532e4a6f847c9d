import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DatabaseUrlError } from './database-url.js';
import { applyMigrations, MigrationError } from './migrations.js';
import { createPrismaClient } from './prisma-client.factory.js';
import { postgresForTests, startPostgresTestServer, type PostgresTestServer } from './testing/postgres-test-server.js';

const postgres = postgresForTests();

/** Tables the first migration creates; a fresh database must have them all, plus the seeded vantage. */
async function expectMigratedSchema(url: string): Promise<void> {
  const client = await createPrismaClient(url);
  try {
    const counts = await Promise.all([
      client.mirror.count(),
      client.probe.count(),
      client.incident.count(),
      client.probeRollup.count(),
      client.mirrorState.count(),
    ]);
    expect(counts).toEqual([0, 0, 0, 0, 0]);
    expect(await client.vantage.findUnique({ where: { id: 'local' } })).toMatchObject({ id: 'local' });
  } finally {
    await client.$disconnect();
  }
}

describe('applyMigrations on SQLite', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'mirrorwatch-migrate-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates the missing directory and schema, then is a no-op', async () => {
    const file = path.join(dir, 'nested', 'deeper', 'mirrorwatch.db');
    const first = await applyMigrations(`file:${file}`);
    console.info(`SQLite: first migrate deploy took ${first.durationMs} ms`);
    expect(existsSync(file)).toBe(true);
    expect(first.provider).toBe('sqlite');
    expect(first.output).toMatch(/applied/i);
    await expectMigratedSchema(`file:${file}`);

    const second = await applyMigrations(`file:${file}`);
    console.info(`SQLite: second (every migration applied) check took ${second.durationMs} ms`);
    expect(first.ranCli).toBe(true);
    expect(second.ranCli).toBe(false);
    await expectMigratedSchema(`file:${file}`);

    // A migration Prisma recorded as failed is not taken for applied: the CLI runs and refuses, as before.
    const db = new Database(file);
    db.prepare(
      `UPDATE "_prisma_migrations" SET finished_at = NULL WHERE migration_name = (SELECT max(migration_name) FROM "_prisma_migrations")`,
    ).run();
    db.close();
    await expect(applyMigrations(`file:${file}`)).rejects.toThrow(/P3009|failed migrations/);
  });

  it('rejects a DATABASE_URL it cannot use, naming the variable', async () => {
    await expect(applyMigrations('mysql://localhost/mirrorwatch')).rejects.toThrow(DatabaseUrlError);
    await expect(applyMigrations('mysql://localhost/mirrorwatch')).rejects.toThrow(/DATABASE_URL/);
  });
});

describe.skipIf(postgres.skip)(`applyMigrations on PostgreSQL${postgres.label}`, () => {
  let server: PostgresTestServer;
  beforeAll(async () => {
    server = await startPostgresTestServer(postgres.binaries!);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('creates a brand-new database, migrates it, then is a no-op', async () => {
    const url = server.url('mirrorwatch_fresh');
    const first = await applyMigrations(url);
    console.info(`PostgreSQL: first migrate deploy (with CREATE DATABASE) took ${first.durationMs} ms`);
    expect(first.provider).toBe('postgresql');
    expect(first.output).toMatch(/applied/i);
    await expectMigratedSchema(url);

    const second = await applyMigrations(url);
    console.info(`PostgreSQL: second (every migration applied) check took ${second.durationMs} ms`);
    expect(second.ranCli).toBe(false);
    await expectMigratedSchema(url);
  });

  it('fails clearly when the server is unreachable', async () => {
    const closedPort = server.url('x').replace(/:\d+\//, ':1/');
    await expect(applyMigrations(closedPort, { timeoutMs: 30_000 })).rejects.toThrow(MigrationError);
    await expect(applyMigrations(closedPort, { timeoutMs: 30_000 })).rejects.toThrow(/cannot connect to PostgreSQL/);
  });
});
