import type { NestExpressApplication } from '@nestjs/platform-express';
import { registerMergeBodyParser } from '#delivery/exports/raw-text-body.js';
import { mountExportWirePath } from '#delivery/exports/mount-export-wire-path.js';
import { registerRequestInputChecks } from '#infrastructure/http/request-input-errors.js';
import { mountMetricsRoute } from '#delivery/metrics/mount-metrics-route.js';
import { mountOpenApi } from '#infrastructure/http/openapi-document.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';

/** HTTP settings shared by start.ts and the tests that boot the real app. */
export function configureApp(app: NestExpressApplication): void {
  app.setGlobalPrefix('api');
  // Which peers may set X-Forwarded-For (TRUST_PROXY): req.ip is then the real client, for rate limits and logs.
  app.set('trust proxy', app.get<AppConfig>(APP_CONFIG).trustProxy);
  app.disable('x-powered-by');
  app.enableShutdownHooks();
  // Raw Express handlers registered here run before Nest's parsers and router
  // and before the dashboard's catch-all (start.ts mounts it after this).
  registerMergeBodyParser(app);
  registerRequestInputChecks(app);
  mountMetricsRoute(app);
  mountOpenApi(app);
  // On the HTTP server itself, ahead of Express: the exports' common requests never reach the stack above.
  mountExportWirePath(app);
}
