import { describe, expect, it } from 'vitest';
import type { FailureClass, ProbePhase } from '@mirrorwatch/domain';
import { probeMirror } from './probe-mirror.js';
import { buildFakeImage } from './testing/fake-image.js';
import { fakeRegistry, fakeTokenServer, json, type RouteName } from './testing/fake-registry.js';
import { expectFailure, sleep, status, useServers, type ExpectedFailure } from './testing/harness.js';
import type { Handler } from './testing/test-servers.js';

const image = buildFakeImage();
const servers = useServers();

const STATUS_CLASSES: [number, FailureClass][] = [
  [403, 'forbidden'],
  [404, 'not_found'],
  [429, 'rate_limited'],
  [500, 'server_error'],
  [503, 'server_error'],
  [400, 'bad_status'],
  [418, 'bad_status'],
];
const ROUTE_PHASES: [RouteName, ProbePhase][] = [
  ['ping', 'ping'],
  ['manifest', 'manifest'],
  ['platform-manifest', 'manifest'],
  ['config', 'config'],
  ['layer', 'blob'],
];

describe('status mapping on every registry request', () => {
  const cases = ROUTE_PHASES.flatMap(([route, phase]) =>
    STATUS_CLASSES.map(([code, failureClass]) => ({ route, phase, code, failureClass })),
  );
  it.each(cases)('$route answering $code is $failureClass in $phase', async ({ route, phase, code, failureClass }) => {
    const mirror = await servers.http(fakeRegistry({ image, overrides: { [route]: status(code, { 'retry-after': '7' }) } }));
    const result = await probeMirror({ url: mirror.url }, { kind: 'deep' });
    expectFailure(result, {
      failureClass,
      failedPhase: phase,
      httpStatus: code,
      retryAfterSeconds: code === 429 ? 7 : null,
    });
  });

  it('parses an HTTP-date Retry-After into seconds from now', async () => {
    const at = new Date(Date.now() + 60_000).toUTCString();
    const mirror = await servers.http(fakeRegistry({ image, overrides: { manifest: status(429, { 'retry-after': at }) } }));
    const result = await probeMirror({ url: mirror.url });
    expect(result.failureClass).toBe('rate_limited');
    expect(result.retryAfterSeconds).toBeGreaterThanOrEqual(58);
    expect(result.retryAfterSeconds).toBeLessThanOrEqual(61);
  });

  it("names the registry's own error code, e.g. an allowlist DENIED", async () => {
    const denied: Handler = (_request, response) =>
      json(response, 403, { errors: [{ code: 'DENIED', message: 'library/alpine not in whitelist' }] });
    const mirror = await servers.http(fakeRegistry({ image, overrides: { manifest: denied } }));
    const result = await probeMirror({ url: mirror.url });
    expectFailure(result, { failureClass: 'forbidden', failedPhase: 'manifest', detail: /DENIED library\/alpine not in whitelist/ });
  });
});

describe('token dance failures', () => {
  const token = 'secret-token-value';
  interface AuthCase {
    name: string;
    ping?: Handler;
    tokenServer?: Handler;
    realmPath?: string;
    options?: Parameters<typeof probeMirror>[1];
    expected: ExpectedFailure;
  }
  const cases: AuthCase[] = [
    {
      name: 'Basic challenge',
      ping: status(401, { 'www-authenticate': 'Basic realm="registry"' }),
      expected: { failureClass: 'auth', failedPhase: 'ping', detail: /basic/ },
    },
    { name: '401 without WWW-Authenticate', ping: status(401), expected: { failureClass: 'auth', failedPhase: 'ping', httpStatus: 401 } },
    {
      name: 'Bearer without realm',
      ping: status(401, { 'www-authenticate': 'Bearer service="x"' }),
      expected: { failureClass: 'auth', failedPhase: 'ping', detail: /without a realm/ },
    },
    { name: 'token endpoint 401', tokenServer: status(401), expected: { failureClass: 'auth', failedPhase: 'token', httpStatus: 401 } },
    { name: 'token endpoint 404', tokenServer: status(404), expected: { failureClass: 'auth', failedPhase: 'token' } },
    {
      name: 'token endpoint 429',
      tokenServer: status(429, { 'retry-after': '30' }),
      expected: { failureClass: 'rate_limited', failedPhase: 'token', retryAfterSeconds: 30 },
    },
    { name: 'token endpoint 503', tokenServer: status(503), expected: { failureClass: 'server_error', failedPhase: 'token' } },
    {
      name: 'token JSON without token',
      tokenServer: (_q, r) => json(r, 200, { expires_in: 60 }),
      expected: { failureClass: 'auth', failedPhase: 'token', detail: /no token/ },
    },
    {
      name: 'token endpoint returns HTML',
      tokenServer: status(200, { 'content-type': 'text/html' }, '<html>login</html>'),
      expected: { failureClass: 'auth', failedPhase: 'token', detail: /not JSON/ },
    },
    {
      name: 'token endpoint hangs',
      tokenServer: async (_q, r) => {
        await sleep(2_000);
        r.end();
      },
      options: { timeouts: { tokenMs: 300 } },
      expected: { failureClass: 'timeout', failedPhase: 'token', detail: /token exchange not complete within 300 ms/ },
    },
    {
      name: 'token response over the cap',
      tokenServer: (_q, r) => json(r, 200, { token: 'x'.repeat(5000) }),
      options: { caps: { tokenBytes: 1024 } },
      expected: { failureClass: 'too_large', failedPhase: 'token' },
    },
    {
      name: 'token refused by the manifest',
      tokenServer: (_q, r) => json(r, 200, { token: 'not-the-right-one' }),
      expected: { failureClass: 'auth', failedPhase: 'manifest', detail: /even with a token/ },
    },
  ];
  it.each(cases)('$name', async ({ ping, tokenServer, options, expected }) => {
    const tokens = await servers.http(tokenServer ?? fakeTokenServer(token));
    const mirror = await servers.http(
      fakeRegistry({ image, auth: { realm: `${tokens.url}/token`, service: 'svc', token }, overrides: ping ? { ping } : {} }),
    );
    const result = await probeMirror({ url: mirror.url }, options);
    expectFailure(result, expected);
    expect(result.detail).not.toContain(token);
    expect(result.detail).not.toContain('not-the-right-one');
  });

  it('a realm whose port refuses connections is connect_refused in the token phase', async () => {
    const closed = await servers.http(status(200));
    await closed.close();
    const mirror = await servers.http(fakeRegistry({ image, auth: { realm: `${closed.url}/token`, service: 's', token } }));
    expectFailure(await probeMirror({ url: mirror.url }), { failureClass: 'connect_refused', failedPhase: 'token' });
  });

  it('parses a lower-case scheme with commas inside quoted values', async () => {
    const tokens = await servers.http(fakeTokenServer(token));
    const challenge = `bearer  service="a, b", realm="${tokens.url}/token" ,error="invalid_token"`;
    const registry = fakeRegistry({ image, auth: { realm: 'unused', service: 'unused', token } });
    const mirror = await servers.http((request, response) => {
      if (request.url === '/v2/') return status(401, { 'www-authenticate': challenge })(request, response);
      return registry(request, response);
    });
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
  });
});
