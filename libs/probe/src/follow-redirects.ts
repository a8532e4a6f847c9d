import { ProbeFailure } from './probe-failure.js';
import { readSnippet } from './read-body.js';
import { headerValue, type Exchange, type ProbeSession, type SendInit } from './probe-session.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export interface FollowedExchange {
  exchange: Exchange;
  redirects: number;
  /** performance.now() when the first hop was sent: TTFB of a redirected blob counts every hop. */
  firstSentAt: number;
}

/**
 * Follows redirects by hand, as Go's net/http does for dockerd: Docker Hub
 * answers blob GETs with 307 to a CDN. Authorization is dropped when a hop
 * leaves the original origin (Go strips it for another domain, so a CDN or
 * object store never sees the registry token), hops are capped, and a URL seen
 * twice is a loop.
 */
export async function sendFollowingRedirects(
  session: ProbeSession,
  url: URL,
  init: SendInit,
  maxRedirects: number,
): Promise<FollowedExchange> {
  const seen = new Set<string>([url.href]);
  const originalOrigin = url.origin;
  let current = url;
  let redirects = 0;
  let firstSentAt: number | null = null;
  while (true) {
    const headers = { ...init.headers };
    if (current.origin !== originalOrigin) delete headers['authorization'];
    const exchange = await session.send(current, { ...init, headers });
    firstSentAt ??= exchange.startedAt;
    if (!REDIRECT_STATUSES.has(exchange.status)) return { exchange, redirects, firstSentAt };

    await readSnippet(exchange);
    const location = headerValue(exchange.headers, 'location');
    let next: URL;
    try {
      if (location === null) throw new Error('missing');
      next = new URL(location, current);
    } catch {
      throw new ProbeFailure('bad_response', init.phase, `HTTP ${exchange.status} without a usable Location`, exchange.status);
    }
    if (next.protocol !== 'http:' && next.protocol !== 'https:') {
      throw new ProbeFailure('bad_response', init.phase, `redirect to unsupported scheme ${next.protocol}`, exchange.status);
    }
    redirects++;
    // Only the origin goes into details: presigned object-store URLs carry credentials in the query.
    if (seen.has(next.href)) {
      throw new ProbeFailure('redirect_loop', init.phase, `redirect loop back to ${next.origin}`, exchange.status);
    }
    if (redirects > maxRedirects) {
      throw new ProbeFailure('redirect_loop', init.phase, `more than ${maxRedirects} redirects`, exchange.status);
    }
    seen.add(next.href);
    current = next;
  }
}
