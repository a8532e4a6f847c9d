import type { Request } from 'express';

/** This server's origin as the client reached it (X-Forwarded-* honoured only from loopback, see configure-app.ts). */
export function requestOrigin(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
