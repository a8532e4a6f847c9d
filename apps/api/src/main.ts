import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AppModule } from './app.module.js';
import { loadConfig } from './services/configuration/load-config.js';
import { PinoNestLogger } from './services/logging/pino-nest-logger.js';
import { requestLogging } from './services/logging/request-logging.js';
import { configureApp } from './configure-app.js';
import { loadCatalogFile } from '@mirrorwatch/catalog';
import { mountWebHost } from './services/web-host/mount-web-host.js';

/**
 * Start-up order matters: every input (environment, catalog, database schema)
 * is validated, and the schema migrated (PersistenceModule), before the port
 * opens, so a misconfiguration is a clear start-up error naming the field,
 * never a half-working server.
 */
async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const logger = PinoNestLogger.create(config.logLevel);
  const catalog = await loadCatalogFile(config.catalogPath);

  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config, catalog), {
    logger,
    bufferLogs: false,
  });
  app.use(requestLogging(logger.pinoLogger));
  configureApp(app);
  if (config.serveWeb) await mountWebHost(app, config.port);
  await app.listen(config.port, config.host);
  logger.log({ msg: 'mirrorwatch listening', port: config.port, host: config.host, mirrors: catalog.length });
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(`mirrorwatch failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
