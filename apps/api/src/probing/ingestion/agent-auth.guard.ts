import { createHash } from 'node:crypto';
import {
  type CanActivate,
  type ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
  UnauthorizedException,
} from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { AgentIdentity } from '#infrastructure/persistence/vantage.repository.js';
import { VantageRepository } from '#infrastructure/persistence/vantage.repository.js';
import { rateLimitKey } from '#infrastructure/rate-limit/client-key.js';
import { TokenBucketStorage } from '#infrastructure/rate-limit/token-bucket-storage.js';
import { bearerToken } from '#infrastructure/http/bearer-token.js';

const MINUTE_MS = 60_000;
/** Refused credentials per client address and minute before it gets 429s instead of 401s (each costs a database look-up). */
const FAILED_AUTH_PER_MINUTE = 30;

/** The agent a request was authenticated as, set by AgentAuthGuard. */
export type AgentRequest = Request & { agent?: AgentIdentity };

/** Stored hash of an agent token: SHA-256 suffices for 256-bit random tokens (nothing to brute-force, unlike passwords). */
export function agentTokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * `Authorization: Bearer <agent token>` on `/api/agent/*`: 401 for a missing,
 * unknown or revoked token (or a revoked vantage), looked up on every request
 * so a revocation holds at once. Each agent then gets its own token bucket
 * (AGENT_REQUESTS_PER_MINUTE): a flooding agent is refused with 429 while the
 * others, keyed by their own tokens, are untouched. These routes are exempt
 * from the per-address limits, which would put every agent behind one NAT
 * (or one benchmark host) in one bucket; failed attempts are limited per
 * address instead.
 */
@Injectable()
export class AgentAuthGuard implements CanActivate {
  private readonly buckets = new TokenBucketStorage();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly vantages: VantageRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<AgentRequest>();
    const res = http.getResponse<Response>();
    const presented = bearerToken(req.headers.authorization);
    const identity = presented === null ? null : await this.vantages.identify(agentTokenHash(presented));
    if (identity === null) {
      this.limit(res, `failed:${rateLimitKey(req.ip)}`, FAILED_AUTH_PER_MINUTE);
      res.setHeader('WWW-Authenticate', 'Bearer realm="mirrorwatch-agent"');
      throw new UnauthorizedException(presented === null ? 'missing bearer token' : 'unknown or revoked agent token');
    }
    if (this.config.agentRequestsPerMinute > 0) this.limit(res, `agent:${identity.tokenId}`, this.config.agentRequestsPerMinute);
    req.agent = identity;
    return true;
  }

  private limit(res: Response, key: string, perMinute: number): void {
    const taken = this.buckets.take(key, MINUTE_MS, perMinute);
    if (!taken.isBlocked) return;
    res.setHeader('Retry-After', String(taken.timeToBlockExpire));
    throw new HttpException(
      { statusCode: 429, error: 'Too Many Requests', message: `rate limit exceeded; retry after ${taken.timeToBlockExpire} s` },
      HttpStatus.TOO_MANY_REQUESTS,
    );
  }
}
