import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MirrorConflictError, MirrorRepository } from './mirror.repository.js';
import { createPrismaClient, type AdapterQuery } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';
import { postgresForTests } from './testing/postgres-test-server.js';
import { REPOSITORY_PROVIDERS, mirror } from './testing/repository-suite.js';
import { openTestDatabase, type TestDatabase } from './testing/test-database.js';

const postgres = postgresForTests();

/** Reads of the enabled mirrors' rows (not the catalog sync's read of every row, nor PostgreSQL's version token). */
const listReads = (captured: readonly AdapterQuery[]) =>
  captured.filter(({ sql }) => /^\s*SELECT/i.test(sql) && /[`"]Mirror[`"]/.test(sql) && /WHERE.*[`"]enabled[`"]/s.test(sql)).length;

const ids = async (repository: MirrorRepository) => (await repository.listEnabled()).map((m) => `${m.id}:${m.name}:${m.url}`);

/**
 * MirrorRepository keeps the enabled list in memory between writes
 * (mirror-list-cache.ts): every write through a repository on the same
 * client is seen at once, an unchanged list is not read again, and on
 * PostgreSQL another replica's change (another client) is seen at the next read.
 */
describe.each(REPOSITORY_PROVIDERS)('the kept mirror list on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  const captured: AdapterQuery[] = [];

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, postgres.binaries, { observeQueries: (query) => captured.push(query) });
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db?.reset();
  });

  it.skipIf(skip)('is read once while nothing changes, and again after every write through any repository on the client', async () => {
    const reader = new MirrorRepository(db.prisma);
    const writer = new MirrorRepository(db.prisma);
    await writer.syncCatalog([mirror('a'), mirror('b')]);
    captured.length = 0;
    expect(await ids(reader)).toEqual(['a:Mirror a:https://a.example.test', 'b:Mirror b:https://b.example.test']);
    expect(await ids(reader)).toEqual(['a:Mirror a:https://a.example.test', 'b:Mirror b:https://b.example.test']);
    expect(listReads(captured)).toBe(1);

    await writer.update('a', { name: 'Renamed' });
    expect(await ids(reader)).toEqual(['a:Renamed:https://a.example.test', 'b:Mirror b:https://b.example.test']);
    await writer.create(mirror('c'));
    expect(await ids(reader)).toHaveLength(3);
    await writer.update('c', { enabled: false });
    expect(await ids(reader)).toEqual(['a:Renamed:https://a.example.test', 'b:Mirror b:https://b.example.test']);
    await writer.delete('b');
    expect(await ids(reader)).toEqual(['a:Renamed:https://a.example.test']);
    await writer.syncCatalog([mirror('d')]);
    expect(await ids(reader)).toEqual(['d:Mirror d:https://d.example.test']);
    // A refused write changes nothing, and the list read after it is right too.
    await expect(writer.create(mirror('e', { url: 'https://d.example.test' }))).rejects.toThrow(MirrorConflictError);
    expect(await ids(reader)).toEqual(['d:Mirror d:https://d.example.test']);
    expect(await ids(reader)).toEqual(['d:Mirror d:https://d.example.test']);
    expect(listReads(captured)).toBe(7);
  });

  it.skipIf(skip)('is emptied by the tests’ reset, which deletes past the repositories', async () => {
    const repository = new MirrorRepository(db.prisma);
    await repository.syncCatalog([mirror('a')]);
    expect(await ids(repository)).toHaveLength(1);
    await db.reset();
    expect(await ids(repository)).toEqual([]);
  });

  // Only PostgreSQL is shared by replicas (a SQLite file is one process's): the case exists there alone.
  if (provider === 'postgresql')
    it.skipIf(skip)("sees another replica's changes (another client on the database) at its next read", async () => {
      const local = new MirrorRepository(db.prisma);
      await local.syncCatalog([mirror('a'), mirror('b')]);
      const otherClient = await createPrismaClient(db.url);
      try {
        const other = new MirrorRepository(new PrismaService(otherClient));
        expect(await ids(local)).toHaveLength(2);
        captured.length = 0;
        expect(await ids(local)).toHaveLength(2);
        expect(listReads(captured)).toBe(0);

        await other.update('a', { url: 'https://moved.example.test' });
        expect(await ids(local)).toEqual(['a:Mirror a:https://moved.example.test', 'b:Mirror b:https://b.example.test']);
        await other.create(mirror('c'));
        expect(await ids(local)).toHaveLength(3);
        await other.delete('b');
        expect(await ids(local)).toEqual(['a:Mirror a:https://moved.example.test', 'c:Mirror c:https://c.example.test']);
        // Any writer at all, not only a repository: a statement of its own.
        await otherClient.$executeRawUnsafe(`UPDATE "Mirror" SET "enabled" = false WHERE "id" = 'c'`);
        expect(await ids(local)).toEqual(['a:Mirror a:https://moved.example.test']);
        // A delete and an insert that leave the count as it was.
        await otherClient.$transaction([
          otherClient.mirror.deleteMany({ where: { id: 'a' } }),
          otherClient.mirror.create({
            data: { id: 'z', name: 'Z', url: 'https://z.example.test', source: 'admin', upstream: 'docker.io' },
          }),
        ]);
        expect((await local.listEnabled()).map((m) => m.id)).toEqual(['z']);
      } finally {
        await otherClient.$disconnect();
      }
    });
});
