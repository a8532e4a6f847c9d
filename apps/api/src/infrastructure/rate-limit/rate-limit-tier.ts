import { type ExecutionContext, SetMetadata } from '@nestjs/common';

/**
 * How much a request costs us, and so how tightly it is limited per client:
 * - `export`: cached exports and badges, served from memory with an ETag (a
 *   fleet behind one NAT fetches them at boot, all at once);
 * - `standard`: everything else that reads (the default);
 * - `expensive`: requests that make us send requests (probe now, checks).
 */
export type RateLimitTier = 'export' | 'standard' | 'expensive';

export const RATE_LIMIT_TIERS: readonly RateLimitTier[] = ['export', 'standard', 'expensive'];

const RATE_LIMIT_TIER = 'mirrorwatch:rate-limit-tier';

/** Puts a route (or a whole controller) in a tier: `@RateLimit('expensive')`. */
export const RateLimit = (tier: RateLimitTier) => SetMetadata(RATE_LIMIT_TIER, tier);

/** The route's tier: the handler's own, else its controller's, else `standard`. */
export function tierOf(context: ExecutionContext): RateLimitTier {
  const handler = Reflect.getMetadata(RATE_LIMIT_TIER, context.getHandler()) as RateLimitTier | undefined;
  const controller = Reflect.getMetadata(RATE_LIMIT_TIER, context.getClass()) as RateLimitTier | undefined;
  return handler ?? controller ?? 'standard';
}
