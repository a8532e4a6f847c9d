import { createHash, timingSafeEqual } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';

/**
 * `/metrics` sits outside `/api` where Prometheus looks by default. It is a
 * plain Express route registered before the dashboard's catch-all and Nest's
 * router, so neither the web host nor the API's rate limit sees scrapes.
 * Without METRICS_TOKEN it is public and leaves private mirrors out; with it,
 * a scrape must bring the token (Prometheus `authorization.credentials`) and
 * sees every mirror.
 */
export function mountMetricsRoute(app: NestExpressApplication): void {
  const metrics = app.get(MetricsService);
  const { metricsToken } = app.get<AppConfig>(APP_CONFIG);
  const expected = metricsToken === null ? null : digest(metricsToken);
  // The Express instance itself: its route is matched before anything Nest registers at init.
  (app.getHttpAdapter().getInstance() as Application).get('/metrics', (req: Request, res: Response) => {
    if (expected !== null && !presentsToken(req, expected)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer realm="metrics"').json({
        statusCode: 401,
        error: 'Unauthorized',
        message: 'METRICS_TOKEN is set: send Authorization: Bearer <token>',
        field: 'authorization',
      });
      return;
    }
    metrics
      .render({ includePrivate: expected !== null })
      .then((body) => res.status(200).setHeader('Content-Type', metrics.contentType).send(body))
      .catch((error: unknown) =>
        res
          .status(500)
          .type('text/plain')
          .send(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`),
      );
  });
}

function presentsToken(req: Request, expected: Buffer): boolean {
  const header = req.headers.authorization ?? '';
  const match = /^Bearer (.+)$/.exec(header);
  // Compare digests: equal length whatever was sent, so the comparison time says nothing.
  return match !== null && timingSafeEqual(digest(match[1] as string), expected);
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
