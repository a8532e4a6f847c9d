import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Header the dashboard's server-side rendering sets on its calls to the API. */
export const INTERNAL_REQUEST_HEADER = 'x-mirrorwatch-internal';

/**
 * A secret made at start-up and handed to the in-process Next.js server
 * (mount-web-host.ts), never written anywhere else. Server-side rendering
 * reaches the API over loopback, so without it every page view would share
 * the 127.0.0.1 bucket and enough visitors would lock each other out. A
 * client outside cannot forge it: it has 256 random bits, and it is accepted
 * only on a connection from a loopback address.
 */
const INTERNAL_TOKEN = randomBytes(32).toString('base64url');

export function internalRequestToken(): string {
  return INTERNAL_TOKEN;
}

/** Takes a bare IncomingMessage: the export wire path asks before Express has seen the request. */
export function isInternalRequest(req: Pick<IncomingMessage, 'headers' | 'socket'>): boolean {
  const presented = req.headers[INTERNAL_REQUEST_HEADER];
  if (typeof presented !== 'string' || presented.length !== INTERNAL_TOKEN.length) return false;
  if (!isLoopback(req.socket.remoteAddress)) return false;
  return timingSafeEqual(Buffer.from(presented), Buffer.from(INTERNAL_TOKEN));
}

function isLoopback(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\./i.test(address);
}
