import { performance } from 'node:perf_hooks';
import { Deadline } from './deadline.js';
import { sendFollowingRedirects } from './follow-redirects.js';
import { ProbeFailure } from './probe-failure.js';
import { assertNotEncoded, discardBody, readBody } from './read-body.js';
import { failureForStatus } from './status-mapping.js';
import { headerValue } from './probe-session.js';
import type { AuthChallenge } from './www-authenticate.js';
import type { ProbeContext } from './probe-context.js';

/**
 * Token dance (distribution spec, token authentication): GET the realm with
 * service and a pull scope, accept `token` or its OAuth2 alias `access_token`.
 * The realm may be any host: mirrors often point at their own token server.
 */
export async function tokenStep(context: ProbeContext, challenge: AuthChallenge): Promise<void> {
  context.phase = 'token';
  const { tokenMs } = context.options.timeouts;
  const startedAt = performance.now();
  const deadline = new Deadline(tokenMs, `token exchange not complete within ${tokenMs} ms`);
  try {
    context.token = await fetchToken(context, challenge, deadline);
  } finally {
    deadline.clear();
    context.timings.tokenMs = (context.timings.tokenMs ?? 0) + (performance.now() - startedAt);
  }
}

async function fetchToken(context: ProbeContext, challenge: AuthChallenge, deadline: Deadline): Promise<string> {
  const realm = challenge.params['realm'] ?? '';
  let url: URL;
  try {
    url = new URL(realm, context.baseUrl);
  } catch {
    throw new ProbeFailure('auth', 'token', 'Bearer realm is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new ProbeFailure('auth', 'token', 'Bearer realm is not http(s)');
  const service = challenge.params['service'];
  if (service) url.searchParams.set('service', service);
  url.searchParams.append('scope', `repository:${context.options.repository}:pull`);

  const { exchange } = await sendFollowingRedirects(
    context.session,
    url,
    { phase: 'token', headers: { accept: 'application/json' }, phaseDeadline: deadline },
    context.options.maxRedirects,
  );
  context.httpStatus = exchange.status;
  if (exchange.status !== 200) {
    discardBody(exchange);
    if (exchange.status === 429 || exchange.status >= 500) {
      throw failureForStatus(exchange.status, 'token', headerValue(exchange.headers, 'retry-after'));
    }
    throw new ProbeFailure('auth', 'token', `token endpoint answered HTTP ${exchange.status}`, exchange.status);
  }
  assertNotEncoded(exchange);
  const body = await readBody(exchange, { cap: context.options.caps.tokenBytes, keep: true });
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.data?.toString('utf8') ?? '');
  } catch {
    throw new ProbeFailure('auth', 'token', 'token response is not JSON', 200);
  }
  const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const token = [record['token'], record['access_token']].find((value): value is string => typeof value === 'string' && value.length > 0);
  if (token === undefined) throw new ProbeFailure('auth', 'token', 'token response carries no token', 200);
  if (/[\r\n]/.test(token)) throw new ProbeFailure('auth', 'token', 'token contains line breaks', 200);
  return token;
}
