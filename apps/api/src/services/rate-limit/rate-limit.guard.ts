import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '../configuration/app-config.js';
import { TokenBucketLimiter } from './token-bucket-limiter.js';

/** Probes from orchestrators and Prometheus scrapes must never be throttled. */
const EXEMPT_PREFIXES = ['/api/health', '/metrics'];

/**
 * Global guard (APP_GUARD): RATE_LIMIT_PER_MINUTE requests per client IP
 * (`req.ip`, which honours X-Forwarded-For only from a loopback proxy), 429
 * with Retry-After beyond that. 0 turns it off (benchmarks, trusted networks).
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limiter: TokenBucketLimiter | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.limiter = config.rateLimitPerMinute > 0 ? new TokenBucketLimiter(config.rateLimitPerMinute) : null;
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.limiter === null || context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    if (EXEMPT_PREFIXES.some((prefix) => req.path === prefix || req.path.startsWith(`${prefix}/`))) return true;
    const result = this.limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (result.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(result.retryAfterSeconds));
    throw new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: `rate limit exceeded; retry after ${result.retryAfterSeconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
