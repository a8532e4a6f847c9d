import { type CanActivate, type ExecutionContext, HttpException, HttpStatus, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { rateLimitKey } from '#infrastructure/rate-limit/client-key.js';
import { TokenBucketStorage } from '#infrastructure/rate-limit/token-bucket-storage.js';

/**
 * Checks per minute per client, on top of the `expensive` tier: each one makes
 * up to a dozen requests to someone else's server and reads a blob, so even
 * the expensive tier's allowance would let one client aim a small flood at
 * any host. Keyed like every other limit (TRUST_PROXY's client address, IPv6
 * by its /64).
 */
export const CHECKS_PER_MINUTE_PER_IP = 6;
const MINUTE_MS = 60_000;

@Injectable()
export class CheckRateLimitGuard implements CanActivate {
  private readonly buckets = new TokenBucketStorage();

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const result = this.buckets.take(rateLimitKey(req.ip ?? req.socket.remoteAddress), MINUTE_MS, CHECKS_PER_MINUTE_PER_IP);
    if (!result.isBlocked) return true;
    http.getResponse<Response>().setHeader('Retry-After', String(result.timeToBlockExpire));
    throw new HttpException(
      {
        statusCode: 429,
        error: 'Too Many Requests',
        message: `at most ${CHECKS_PER_MINUTE_PER_IP} checks per minute; retry after ${result.timeToBlockExpire} s`,
      },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
