import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { TokenBucketLimiter } from '../../services/rate-limit/token-bucket-limiter.js';

/**
 * Checks per minute per client IP, on top of the global limit: each one makes
 * up to a dozen requests to someone else's server and reads a blob, so the
 * global allowance (sized for cheap cached reads) would let one client aim a
 * small flood at any host.
 */
export const CHECKS_PER_MINUTE_PER_IP = 6;

@Injectable()
export class CheckRateLimitGuard implements CanActivate {
  private readonly limiter = new TokenBucketLimiter(CHECKS_PER_MINUTE_PER_IP);

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const result = this.limiter.take(req.ip ?? req.socket.remoteAddress ?? 'unknown');
    if (result.allowed) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(result.retryAfterSeconds));
    throw new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: `at most ${CHECKS_PER_MINUTE_PER_IP} checks per minute; retry after ${result.retryAfterSeconds} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
