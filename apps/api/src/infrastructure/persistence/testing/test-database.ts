import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { DatabaseProvider } from '../database-url.js';
import { applyMigrations } from '../migrations.js';
import { createPrismaClient, type QueryObserver } from '../prisma-client.factory.js';
import { mirrorListCacheOf } from '../mirror-list-cache.js';
import { PrismaService } from '../prisma.service.js';
import { startPostgresTestServer, type PostgresBinaries } from './postgres-test-server.js';

/** A migrated, connected database of one provider for a test file. Test-only. */
export interface TestDatabase {
  provider: DatabaseProvider;
  url: string;
  prisma: PrismaService;
  /** Empties every table except the seeded vantages (Mirror deletes cascade; notification channels, recommendations and references stand alone). */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openTestDatabase(
  provider: DatabaseProvider,
  pgBinaries: PostgresBinaries | null,
  options: { observeQueries?: QueryObserver } = {},
): Promise<TestDatabase> {
  let url: string;
  let cleanup: () => Promise<void>;
  if (provider === 'sqlite') {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mirrorwatch-sqlite-'));
    url = `file:${path.join(dir, 'test.db')}`;
    cleanup = () => rm(dir, { recursive: true, force: true });
  } else {
    if (!pgBinaries) throw new Error('PostgreSQL binaries are required for the postgresql test database');
    const server = await startPostgresTestServer(pgBinaries);
    url = server.url('mirrorwatch_test');
    cleanup = () => server.stop();
  }
  try {
    await applyMigrations(url);
    const prisma = new PrismaService(await createPrismaClient(url, options));
    return {
      provider,
      url,
      prisma,
      reset: async () => {
        await prisma.client.mirror.deleteMany();
        // Past the repositories, so their kept mirror list is dropped here (SQLite has no other writer to check for).
        mirrorListCacheOf(prisma.client).forget();
        await prisma.client.notificationChannel.deleteMany();
        await prisma.client.recommendation.deleteMany();
        await prisma.client.referenceDigest.deleteMany();
        await prisma.client.referenceImageCheck.deleteMany();
        await prisma.client.vantage.deleteMany({ where: { id: { not: 'local' } } });
      },
      close: async () => {
        await prisma.client.$disconnect();
        await cleanup();
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
