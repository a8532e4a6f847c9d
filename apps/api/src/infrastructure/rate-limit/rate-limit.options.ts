import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions, ThrottlerOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import type { AppConfig } from '../configuration/app-config.js';
import { rateLimitKey } from './client-key.js';
import { RATE_LIMIT_TIERS, tierOf, type RateLimitTier } from './rate-limit-tier.js';
import { TokenBucketStorage } from './token-bucket-storage.js';

const MINUTE_MS = 60_000;

/**
 * One throttler per tier; a request counts against its route's tier only,
 * per client (one bucket per tier and client address across all routes of
 * the tier). The tracker is our `rateLimitKey`, not the library's default:
 * that one masks an IPv4-mapped address (`::ffff:203.0.113.7`, what a
 * dual-stack socket reports for every IPv4 client) to its /64, `::`, which
 * would put every IPv4 client in one bucket.
 */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  const perMinute = perMinuteByTier(config);
  const throttlers: ThrottlerOptions[] = RATE_LIMIT_TIERS.map((tier) => ({
    name: tier,
    ttl: MINUTE_MS,
    limit: Math.max(1, perMinute[tier]),
    // 0 turns a tier off (benchmarks, trusted networks).
    skipIf: (context: ExecutionContext) => perMinute[tier] === 0 || tierOf(context) !== tier,
  }));
  return {
    throttlers,
    storage: new TokenBucketStorage(),
    getTracker: (req) => rateLimitKey((req as Request).ip ?? (req as Request).socket?.remoteAddress),
    generateKey: (_context, tracker, throttlerName) => bucketKey(throttlerName, tracker),
    // No X-RateLimit-* headers: cached exports stay the same bytes for every client.
    setHeaders: false,
  };
}

/** A tier's allowance per client: `ttlMs` and `limit` as the guard passes them to the storage; null when the tier is off. */
export function tierBound(config: AppConfig, tier: RateLimitTier): { ttlMs: number; limit: number } | null {
  const limit = perMinuteByTier(config)[tier];
  return limit === 0 ? null : { ttlMs: MINUTE_MS, limit };
}

/** The storage key of one client's bucket in one tier (the export wire path takes from the same buckets as the guard). */
export function bucketKey(tier: string, tracker: string): string {
  return `${tier}:${tracker}`;
}

function perMinuteByTier(config: AppConfig): Record<RateLimitTier, number> {
  return {
    export: config.rateLimitExportsPerMinute,
    standard: config.rateLimitPerMinute,
    expensive: config.rateLimitExpensivePerMinute,
  };
}
