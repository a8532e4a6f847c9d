import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Application, Request, Response } from 'express';
import { MetricsService } from './metrics.service.js';

/**
 * `/metrics` sits outside `/api` where Prometheus looks by default. It is a
 * plain Express route registered before the dashboard's catch-all and Nest's
 * router, so neither the web host nor the API's rate limit sees scrapes.
 */
export function mountMetricsRoute(app: NestExpressApplication): void {
  const metrics = app.get(MetricsService);
  // The Express instance itself: its route is matched before anything Nest registers at init.
  (app.getHttpAdapter().getInstance() as Application).get('/metrics', (_req: Request, res: Response) => {
    metrics
      .render()
      .then((body) => res.status(200).setHeader('Content-Type', metrics.contentType).send(body))
      .catch((error: unknown) => res.status(500).type('text/plain').send(`metrics collection failed: ${error instanceof Error ? error.message : String(error)}\n`));
  });
}
