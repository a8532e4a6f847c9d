import { type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerLimitDetail } from '@nestjs/throttler';
import type { Request, Response } from 'express';
import { isInternalRequest } from './internal-request.js';

/**
 * Probes from orchestrators must never be throttled. `/metrics` never reaches
 * this guard (an Express route of its own) and limits public scrapes in a
 * bucket of their own (mount-metrics-route.ts). Vantage agents are limited
 * per token by AgentAuthGuard instead: keyed by address, every agent behind
 * one NAT would share one bucket.
 */
const EXEMPT_PREFIXES = ['/api/health', '/metrics', '/api/agent'];

/**
 * @nestjs/throttler's guard (global, APP_GUARD) with what this product needs
 * around it: health checks and the dashboard's own server-side calls (an
 * unforgeable loopback marker, see internal-request.ts) are not counted, and
 * a refusal is a JSON 429 with a plain `Retry-After` (the library would name
 * the header after the throttler, `Retry-After-export`, which no client reads).
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request>();
    if (EXEMPT_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`))) return true;
    return isInternalRequest(req);
  }

  protected override async throwThrottlingException(context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    const retryAfterSeconds = Math.max(1, detail.timeToBlockExpire);
    context.switchToHttp().getResponse<Response>().setHeader('Retry-After', String(retryAfterSeconds));
    throw new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: `rate limit exceeded; retry after ${retryAfterSeconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
