import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, ForbiddenException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';

export const ADMIN_DISABLED_MESSAGE = 'admin API disabled: set ADMIN_TOKEN';

/**
 * `Authorization: Bearer <ADMIN_TOKEN>` on every admin route. Both sides are
 * hashed before `timingSafeEqual`, which needs equal lengths: comparing
 * digests keeps the time independent of both the content and the length of
 * the token. Without ADMIN_TOKEN the admin API is off (403, saying so), not
 * open. The token is never logged (pino redacts the header too).
 */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expectedDigest: Buffer | null;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.expectedDigest = config.adminToken === null ? null : digest(config.adminToken);
  }

  canActivate(context: ExecutionContext): boolean {
    if (this.expectedDigest === null) throw new ForbiddenException(ADMIN_DISABLED_MESSAGE);
    const http = context.switchToHttp();
    const presented = bearerToken(http.getRequest<Request>().headers.authorization);
    if (presented === null || !timingSafeEqual(digest(presented), this.expectedDigest)) {
      http.getResponse<Response>().setHeader('WWW-Authenticate', 'Bearer realm="mirrorwatch-admin"');
      throw new UnauthorizedException(presented === null ? 'missing bearer token' : 'invalid admin token');
    }
    return true;
  }
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function bearerToken(header: string | undefined): string | null {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? null;
}
