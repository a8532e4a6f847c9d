import { createHash, timingSafeEqual } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { Application, Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';
import { rateLimitKey } from '#infrastructure/rate-limit/client-key.js';
import { bucketKey, tierBound } from '#infrastructure/rate-limit/rate-limit.options.js';
import { TokenBucketStorage } from '#infrastructure/rate-limit/token-bucket-storage.js';

/**
 * `/metrics` sits outside `/api` where Prometheus looks by default. It is a
 * plain Express route registered before the dashboard's catch-all and Nest's
 * router, so neither the web host nor the API's rate-limit guard sees scrapes.
 * Without METRICS_TOKEN it is public and leaves private mirrors out; with it,
 * a scrape must bring the token (Prometheus `authorization.credentials`) and
 * sees every mirror.
 *
 * A public scrape costs the serving thread a few milliseconds (the process's
 * own series are collected anew each time), so a public one takes a token
 * from a bucket of its own per client address, with the ordinary reads'
 * allowance (RATE_LIMIT_PER_MINUTE; 0 turns it off): a Prometheus scraping
 * every few seconds never meets it, a flood from one address gets 429s
 * instead of the event loop (measured: 345 scrapes a second from one wrk
 * held the health check up to 727 ms). Its own bucket, so a page's reads do
 * not use up a scraper's allowance nor the other way round. Scrapes that
 * bring METRICS_TOKEN are trusted and never limited.
 */
export function mountMetricsRoute(app: NestExpressApplication): void {
  const metrics = app.get(MetricsService);
  const config = app.get<AppConfig>(APP_CONFIG);
  const expected = config.metricsToken === null ? null : digest(config.metricsToken);
  const admitPublic = publicScrapeAdmission(app.get<unknown>(ThrottlerStorage), config);
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
    const retryAfterSeconds = expected === null ? admitPublic(req) : null;
    if (retryAfterSeconds !== null) {
      res
        .status(429)
        .setHeader('Retry-After', String(retryAfterSeconds))
        .json({
          statusCode: 429,
          error: 'Too Many Requests',
          message: `rate limit exceeded; retry after ${retryAfterSeconds} s`,
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

/** Null when a public scrape may go ahead, else the seconds until its client's bucket has a token again. */
function publicScrapeAdmission(storage: unknown, config: AppConfig): (req: Request) => number | null {
  const bound = tierBound(config, 'standard');
  // The guard's storage when it is ours (always, outside tests that replace it); its buckets are swept together.
  const buckets = storage instanceof TokenBucketStorage ? storage : new TokenBucketStorage();
  if (bound === null) return () => null;
  return (req) => {
    // req.ip as Express computes it: TRUST_PROXY decides which X-Forwarded-For hops count.
    const taken = buckets.take(bucketKey('metrics', rateLimitKey(req.ip)), bound.ttlMs, bound.limit);
    return taken.isBlocked ? Math.max(1, taken.timeToBlockExpire) : null;
  };
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
