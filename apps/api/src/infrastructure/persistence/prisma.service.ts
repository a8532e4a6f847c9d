import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { applyMigrations } from './migrations.js';
import type { PersistenceOptions } from './persistence-options.js';
import { createPrismaClient, type PrismaClient } from './prisma-client.factory.js';

/**
 * Owns the Prisma client. It is created by an async provider factory
 * (`PrismaService.connect`), so every repository that injects it gets a
 * migrated, connected database regardless of module init order.
 */
@Injectable()
export class PrismaService implements OnApplicationShutdown {
  private static readonly logger = new Logger('PrismaService');

  constructor(readonly client: PrismaClient) {}

  static async connect(options: PersistenceOptions): Promise<PrismaService> {
    if (options.migrateOnStart !== false) {
      const outcome = await applyMigrations(options.databaseUrl, { timeoutMs: options.migrationTimeoutMs });
      PrismaService.logger.log({
        msg: 'database migrated',
        provider: outcome.provider,
        durationMs: outcome.durationMs,
        ranCli: outcome.ranCli,
      });
    }
    return new PrismaService(await createPrismaClient(options.databaseUrl));
  }

  /** Health check: one round trip to the database. */
  async ping(): Promise<void> {
    await this.client.$queryRawUnsafe('SELECT 1');
  }

  /**
   * On application shutdown rather than module destroy: the scheduler waits for
   * its in-flight cycle (which still writes) in its own shutdown hook.
   */
  async onApplicationShutdown(): Promise<void> {
    await this.client.$disconnect();
  }
}
