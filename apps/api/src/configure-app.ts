import type { NestExpressApplication } from '@nestjs/platform-express';
import { registerMergeBodyParser } from './app/exports/raw-text-body.js';
import { mountExportWirePath } from './app/exports/mount-export-wire-path.js';
import { registerRequestInputChecks } from './services/http/request-input-errors.js';
import { mountMetricsRoute } from './app/metrics/mount-metrics-route.js';
import { mountOpenApi } from './services/openapi/openapi-document.js';
import { APP_CONFIG, type AppConfig } from './services/configuration/app-config.js';

/** HTTP settings shared by main.ts and the tests that boot the real app. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix('api');
  // Which peers may set X-Forwarded-For (TRUST_PROXY): req.ip is then the real client, for rate limits and logs.
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  // Raw Express handlers registered here run before Nest's parsers and router
  // and before the dashboard's catch-all (main.ts mounts it after this).
  registerMergeBodyParser(app);
  registerRequestInputChecks(app);
  mountMetricsRoute(app);
  mountOpenApi(app);
  // On the HTTP server itself, ahead of Express: the exports' common requests never reach the stack above.
  mountExportWirePath(app);
}
