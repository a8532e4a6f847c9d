import type { NestExpressApplication } from '@nestjs/platform-express';
import { registerMergeBodyParser } from './app/exports/raw-text-body.js';
import { mountMetricsRoute } from './app/metrics/mount-metrics-route.js';
import { mountOpenApi } from './services/openapi/openapi-document.js';

/** HTTP settings shared by main.ts and the tests that boot the real app. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix('api');
  app.set('trust proxy', 'loopback');
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  // Raw Express handlers registered here run before Nest's parsers and router
  // and before the dashboard's catch-all (main.ts mounts it after this).
  registerMergeBodyParser(app);
  mountMetricsRoute(app);
  mountOpenApi(app);
}
