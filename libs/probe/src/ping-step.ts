import { performance } from 'node:perf_hooks';
import { findBearerChallenge, parseWwwAuthenticate, type AuthChallenge } from './www-authenticate.js';
import { ProbeFailure } from './probe-failure.js';
import { readBody } from './read-body.js';
import { failureFromResponse } from './registry-error.js';
import { sendFollowingRedirects } from './follow-redirects.js';
import { registryUrl, type ProbeContext } from './probe-context.js';

/**
 * `GET /v2/`: the version check dockerd makes first. 200 means no auth; 401
 * must carry a Bearer challenge naming the realm (distribution spec, "Token
 * Authentication"). Fills dns/connect/tls/pingTtfb from the connection used.
 */
export async function pingStep(context: ProbeContext): Promise<AuthChallenge | null> {
  context.phase = 'ping';
  const requestedAt = performance.now();
  const { exchange } = await sendFollowingRedirects(
    context.session,
    registryUrl(context, '/v2/'),
    { phase: 'ping', headers: { accept: 'application/json' } },
    context.options.maxRedirects,
  );
  context.httpStatus = exchange.status;
  recordConnectionTimings(context, exchange.url, requestedAt, exchange.startedAt, exchange.headersAt);

  if (exchange.status !== 200 && exchange.status !== 401) throw await failureFromResponse(exchange, 'ping');
  // The body is `{}` on a real registry; read it (bounded) so the connection can be reused.
  await readBody(exchange, { cap: context.options.caps.tokenBytes, keep: false });
  if (exchange.status === 200) return null;

  const challenges = parseWwwAuthenticate(exchange.headers['www-authenticate']);
  const bearer = findBearerChallenge(challenges);
  if (bearer === null) {
    const schemes = challenges.map((challenge) => challenge.scheme).join(', ');
    throw new ProbeFailure('auth', 'ping', `401 without a Bearer challenge (${schemes || 'no WWW-Authenticate'})`, 401);
  }
  if (!bearer.params['realm']) throw new ProbeFailure('auth', 'ping', 'Bearer challenge without a realm', 401);
  return bearer;
}

/**
 * Connection phases come from the connection opened for this request (read
 * now, after the response: the connector fills them asynchronously). TTFB
 * starts when the request could actually be written, i.e. once that
 * connection was ready, and ends at the first byte of the answer, as curl's
 * time_starttransfer - time_appconnect does. A connection that received bytes
 * before this request was sent (reused after a same-origin redirect) cannot
 * say which were this answer's: then the parsed headers end it.
 */
function recordConnectionTimings(context: ProbeContext, url: URL, requestedAt: number, sentAt: number, headersAt: number): void {
  const connection = context.session.connectionsOpenedFor(url, requestedAt).at(-1);
  context.timings.dnsMs = connection?.dnsMs ?? null;
  context.timings.connectMs = connection?.connectMs ?? null;
  context.timings.tlsMs = connection?.tlsMs ?? null;
  const writableAt = Math.max(sentAt, connection?.readyAt ?? sentAt);
  const firstByteAt = connection?.firstByteAt ?? null;
  const answeredAt = firstByteAt !== null && firstByteAt >= writableAt && firstByteAt <= headersAt ? firstByteAt : headersAt;
  context.timings.pingTtfbMs = answeredAt - writableAt;
}
