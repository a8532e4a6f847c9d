import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { Logger } from 'nestjs-pino';
import { configureApp } from './configure-app.js';
import { loadCatalogFile } from '@mirrorwatch/catalog';
import { mountWebHost, prepareWebHost } from '#infrastructure/web-host/mount-web-host.js';

/**
 * Start-up order matters: every input (environment, catalog, database schema)
 * is validated, and the schema migrated (PersistenceModule), before the port
 * opens, so a misconfiguration is a clear start-up error naming the field,
 * never a half-working server.
 */
/** Within the 5 s an orchestrator typically waits before SIGKILL (Docker's default is 10 s). */
const SHUTDOWN_DEADLINE_MS = 4_500;

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const catalog = await loadCatalogFile(config.catalogPath);
  const web = config.serveWeb ? prepareWebHost(config.port) : null;
  // A failed dashboard build surfaces when it is mounted; until then, keep the rejection from being reported as unhandled.
  web?.catch(() => undefined);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, catalog), {
    // Held until the pino logger (ObservabilityModule, nestjs-pino) takes over, so start-up lines are JSON too.
    bufferLogs: true,
    // Keep-alive connections (fleets, the dashboard's own SSR fetches) would hold app.close() open until they idle out.
    forceCloseConnections: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  armShutdownDeadline(logger);
  configureApp(app);
  if (web) await mountWebHost(app, web);
  await app.listen(config.port, config.host);
  logger.log({ msg: 'mirrorwatch listening', port: config.port, host: config.host, mirrors: catalog.length });
}

/**
 * Nest closes in order on SIGTERM/SIGINT (enableShutdownHooks): probe lanes
 * and the rollup pass are aborted and awaited, then the web host and Prisma
 * close. Every write is its own transaction, so abandoning work is safe; if
 * something still hangs (a peer that never answers), exit anyway rather than
 * make the supervisor wait for SIGKILL.
 */
function armShutdownDeadline(logger: Logger): void {
  const onSignal = (signal: NodeJS.Signals) => {
    setTimeout(() => {
      logger.warn({ msg: 'shutdown did not finish in time; exiting', signal, deadlineMs: SHUTDOWN_DEADLINE_MS });
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`mirrorwatch failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
