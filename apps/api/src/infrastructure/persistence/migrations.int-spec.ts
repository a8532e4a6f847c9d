import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
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
    console.info(`SQLite: second (no-op) migrate deploy took ${second.durationMs} ms`);
    expect(second.output).toMatch(/No pending migrations/);
    await expectMigratedSchema(`file:${file}`);
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
    console.info(`PostgreSQL: second (no-op) migrate deploy took ${second.durationMs} ms`);
    expect(second.output).toMatch(/No pending migrations/);
    await expectMigratedSchema(url);
  });

  it('fails clearly when the server is unreachable', async () => {
    const closedPort = server.url('x').replace(/:\d+\//, ':1/');
    await expect(applyMigrations(closedPort, { timeoutMs: 30_000 })).rejects.toThrow(MigrationError);
    await expect(applyMigrations(closedPort, { timeoutMs: 30_000 })).rejects.toThrow(/cannot connect to PostgreSQL/);
  });
});
