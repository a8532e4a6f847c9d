import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { Logger } from 'nestjs-pino';
import { configureApp } from './configure-app.js';
import { loadCatalogFile } from '@mirrorwatch/catalog';
import { mountWebHost } from '#infrastructure/web-host/mount-web-host.js';
import { assertDashboardBuilt } from '#infrastructure/web-host/next-web-host.js';
import { WebHostStatus } from '#infrastructure/web-host/web-host-status.js';
import { ReadGeneration } from '#delivery/read-cache/read-generation.js';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';
import { keepYoungGenerationCommitted } from '#infrastructure/threads/keep-young-generation-committed.js';

/**
 * Start-up order matters: every input (environment, catalog, database schema)
 * is validated, and the schema migrated (PersistenceModule), before the port
 * opens, so a misconfiguration is a clear start-up error naming the field,
 * never a half-working server. The dashboard is the exception, by design: it
 * loads once the API listens (see mount-web-host.ts), pages answering 503
 * with Retry-After until then; a missing build still fails before the port opens.
 */
/** Within the 5 s an orchestrator typically waits before SIGKILL (Docker's default is 10 s). */
const SHUTDOWN_DEADLINE_MS = 4_500;

async function bootstrap(): Promise<void> {
  const youngGenerationKept = keepYoungGenerationCommitted();
  const config = loadConfig();
  const catalog = await loadCatalogFile(config.catalogPath);
  if (config.serveWeb) assertDashboardBuilt();
  const webStatus = new WebHostStatus(config.serveWeb ? 'loading' : 'off');

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, catalog, webStatus), {
    // Held until the pino logger (ObservabilityModule, nestjs-pino) takes over, so start-up lines are JSON too.
    bufferLogs: true,
    // Keep-alive connections (fleets, the dashboard's own SSR fetches) would hold app.close() open until they idle out.
    forceCloseConnections: true,
  });
  const logger = app.get(Logger);
  app.useLogger(logger);
  if (!youngGenerationKept)
    logger.warn({
      msg: 'node runs without --single-threaded-gc (npm start sets it): V8 decommits the young generation after each collection, which costs CPU in page faults',
    });
  armShutdownDeadline(logger);
  configureApp(app);
  const generations = app.get(ReadGeneration);
  const metrics = app.get(MetricsService);
  const web = config.serveWeb
    ? mountWebHost(
        app,
        webStatus,
        { generation: () => generations.overall() },
        {
          idleStopMs: config.dashboardIdleStopSeconds * 1000,
          onPageRender: (trigger) => metrics.observePageRender(trigger),
          onIdleChange: (change) =>
            change.state === 'idle'
              ? logger.log({
                  msg: 'dashboard idle: its process is stopped until the next page request',
                  idleStopSeconds: config.dashboardIdleStopSeconds,
                })
              : logger.log({ msg: 'dashboard started again for a page request', durationMs: change.startMs }),
        },
      )
    : null;
  if (web !== null) metrics.watchDashboard(() => web.loaded());
  await app.listen(config.port, config.host);
  logger.log({ msg: 'mirrorwatch listening', port: config.port, host: config.host, mirrors: catalog.length });
  const webStartedAt = Date.now();
  web?.load(config.port).then(
    () => logger.log({ msg: 'dashboard ready', durationMs: Date.now() - webStartedAt }),
    (error: unknown) => failStart(error),
  );
}

/** A start-up that cannot finish (the dashboard included) exits non-zero, so the supervisor sees it. */
function failStart(error: unknown): never {
  process.stderr.write(`mirrorwatch failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
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

bootstrap().catch(failStart);
