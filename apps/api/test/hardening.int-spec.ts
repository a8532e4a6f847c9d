import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getFreePort, startProducts, type RunningProduct } from '@mirrorwatch/lab';

/**
 * Issue-9 regressions against the built product: the public merge endpoint's
 * bounds, rate limits that fit fleets and page views, TRUST_PROXY, and
 * private mirrors kept out of /metrics. The catalog is loopback ports nobody
 * listens on (one private), so no registry is needed.
 */
const ADMIN_TOKEN = 'hardening-admin-token-0123456789';
const METRICS_TOKEN = 'hardening-metrics-token-0123456789';

describe('hardening against the built product', () => {
  let dir: string;
  let catalogPath: string;
  let privatePort: number;
  let product: RunningProduct;
  let limited: RunningProduct;
  let proxied: RunningProduct;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-hardening-'));
    const [a, b, c] = await Promise.all([getFreePort(), getFreePort(), getFreePort()]);
    privatePort = c;
    catalogPath = path.join(dir, 'catalog.yaml');
    await writeFile(
      catalogPath,
      `- { name: hardening-alpha, url: "http://127.0.0.1:${a}" }\n- { name: hardening-beta, url: "http://127.0.0.1:${b}" }\n- { name: mine, url: "http://127.0.0.1:${c}", visibility: private }\n`,
    );
    [product, limited, proxied] = await startProducts([
      {
        catalogPath,
        probeIntervalSeconds: 5,
        env: { ADMIN_TOKEN, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_EXPORTS_PER_MINUTE: '0' },
      },
      // Default export tier; tiny standard and expensive tiers. Serves the dashboard, for the server-side rendering check.
      {
        catalogPath,
        probeIntervalSeconds: 60,
        serveWeb: true,
        env: { ADMIN_TOKEN, RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_EXPENSIVE_PER_MINUTE: '2' },
      },
      {
        catalogPath,
        probeIntervalSeconds: 60,
        env: { RATE_LIMIT_PER_MINUTE: '2', RATE_LIMIT_EXPORTS_PER_MINUTE: '3', TRUST_PROXY: '1', METRICS_TOKEN },
      },
    ]);
  }, 180_000);

  afterAll(async () => {
    await Promise.allSettled([product?.stop(), limited?.stop(), proxied?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const merge = (origin: string, body: string) =>
    fetch(`${origin}/api/recommended-daemon.json`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });

  describe('POST /api/recommended-daemon.json', () => {
    it.each([
      ['8 KB of nested arrays', `{"a":${'['.repeat(4000)}${']'.repeat(4000)}}`, 400, /nesting deeper than 32 levels/],
      ['a body of "[" characters', '['.repeat(60_000), 400, /nesting deeper than 32 levels/],
      ['a body over 64 KiB', `{"a":"${'x'.repeat(70_000)}"}`, 413, /larger than/],
      ['a truncated body', '{"a": ', 400, /line 1, column 7/],
    ])('%s: %s naming the body', async (_label, body, status, message) => {
      const response = await merge(product.origin, body);
      expect(response.status).toBe(status);
      const error = (await response.json()) as { field?: string; message?: string };
      expect(error.field).toBe('body');
      expect(error.message).toMatch(message);
    });

    it('answers wide deep input with output bounded by the input, and stays alive', async () => {
      const body = `{"a":${'['.repeat(31)}${Array.from({ length: 8000 }, () => '0').join(',')}${']'.repeat(31)}}`;
      const response = await merge(product.origin, body);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text.length).toBeLessThanOrEqual(2 * body.length + 1024);
      expect(JSON.parse(text)).toMatchObject({ a: JSON.parse(body).a });
      expect((await fetch(`${product.origin}/api/health/live`)).status).toBe(200);
    });
  });

  // The nastiest cases the REST fuzzer (tools/fuzz-rest) found: refused before any controller ran, without saying what was wrong.
  it.each([
    ['a path that is not valid percent-encoding', 'GET', '/api/mirrors/%E0%A4%A', {}, undefined, 400, 'path'],
    ['malformed JSON to the admin API', 'POST', '/api/admin/mirrors', { 'Content-Type': 'application/json' }, '{"url": ', 400, 'body'],
    ['an unknown charset', 'PATCH', '/api/admin/mirrors/x', { 'Content-Type': 'application/json; charset=latin1' }, '{}', 415, 'body'],
    [
      'an admin body over the limit',
      'POST',
      '/api/admin/notification-channels',
      { 'Content-Type': 'application/json' },
      JSON.stringify({ name: 'x'.repeat(200_000) }),
      413,
      'body',
    ],
  ])('%s: %s %s', async (_label, method, target, headers, body, status, field) => {
    const response = await fetch(`${product.origin}${target}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
      body,
    });
    expect(response.status).toBe(status);
    expect(((await response.json()) as { field?: string }).field).toBe(field);
  });

  // The fuzzer's one connection loss: a 54 KB octet-stream PATCH to a channel that does not exist, answered before its body is read.
  it.each([
    ['with the admin token', { Authorization: `Bearer ${ADMIN_TOKEN}` }, 404],
    ['without a token', {}, 401],
  ])(
    'answers an unread 54 KB octet-stream PATCH %s with a JSON error, and the connection serves the next request',
    async (_label, auth, status) => {
      for (let round = 0; round < 2; round += 1) {
        const response = await fetch(`${product.origin}/api/admin/notification-channels/no-such-channel`, {
          method: 'PATCH',
          headers: { ...auth, 'Content-Type': 'application/octet-stream' },
          body: new Uint8Array(54_000).fill(0x5b),
        });
        expect(response.status).toBe(status);
        expect(((await response.json()) as { message?: unknown }).message).toEqual(expect.any(String));
      }
    },
  );

  it('answers the admin API of a product without ADMIN_TOKEN with 403 saying how to enable it', async () => {
    // `proxied` has no ADMIN_TOKEN; its own client address keeps this request out of the rate-limit buckets below.
    const response = await fetch(`${proxied.origin}/api/admin/mirrors`, {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'X-Forwarded-For': '192.0.2.10' },
    });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { message: string }).message).toBe('admin API disabled: set ADMIN_TOKEN');
  });

  describe('rate limits', () => {
    it('lets 1,000 export fetches from one address through at the default export limit', async () => {
      const statuses = new Map<number, number>();
      for (let batch = 0; batch < 20; batch++) {
        const responses = await Promise.all(Array.from({ length: 50 }, () => fetch(`${limited.origin}/api/recommended-daemon.json`)));
        for (const response of responses) {
          statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          await response.arrayBuffer();
        }
      }
      expect(Object.fromEntries(statuses)).toEqual({ 200: 1000 });
    });

    it('limits ordinary reads per address with a JSON 429 and Retry-After; exports and health are separate', async () => {
      const statuses: number[] = [];
      let retryAfter: string | null = null;
      let body: unknown = null;
      for (let i = 0; i < 8; i++) {
        const response = await fetch(`${limited.origin}/api/incidents`);
        statuses.push(response.status);
        if (response.status === 429) {
          retryAfter = response.headers.get('retry-after');
          body = await response.json();
        } else await response.arrayBuffer();
      }
      expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
      expect(statuses.at(-1)).toBe(429);
      expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
      expect(body).toMatchObject({ statusCode: 429, message: expect.stringMatching(/retry after/) });
      for (const other of ['/api/health/live', '/api/export/daemon-json', '/metrics'])
        expect((await fetch(`${limited.origin}${other}`)).status, other).toBe(200);
    });

    it('bounds public /metrics scrapes per address in a bucket of their own, with a JSON 429 and Retry-After', async () => {
      // The test above spent this address's reads and took one scrape; the scrapes' bucket holds RATE_LIMIT_PER_MINUTE (5).
      const statuses: number[] = [];
      let refused: Response | null = null;
      for (let i = 0; i < 6; i++) {
        const response = await fetch(`${limited.origin}/metrics`);
        statuses.push(response.status);
        if (response.status === 429) refused ??= response;
        else await response.arrayBuffer();
      }
      expect(statuses.slice(0, 4)).toEqual([200, 200, 200, 200]);
      expect(statuses.slice(4)).toEqual([429, 429]);
      expect(Number(refused?.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused?.json()).toMatchObject({ statusCode: 429, message: expect.stringMatching(/retry after/) });
      // Health checks and exports from the same address are not affected.
      for (const other of ['/api/health/live', '/api/export/daemon-json'])
        expect((await fetch(`${limited.origin}${other}`)).status, other).toBe(200);
    });

    it('keeps a tight limit on endpoints that send requests out', async () => {
      const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
      const mirrors = (await (await fetch(`${limited.origin}/api/admin/mirrors`, { headers: auth })).json()) as { id: string }[];
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++)
        statuses.push(
          (await fetch(`${limited.origin}/api/admin/mirrors/${mirrors[0]?.id}/probe`, { method: 'POST', headers: auth })).status,
        );
      expect(statuses.slice(0, 2).every((s) => s !== 429)).toBe(true);
      expect(statuses.slice(2)).toEqual([429, 429]);
    });

    it('does not count server-side rendering against visitors, and a forged marker does not help', async () => {
      // This address spends its visitor allowance first (5/min): the pages below must still render with data.
      for (let i = 0; i < 8; i++) await (await fetch(`${limited.origin}/api/incidents`)).arrayBuffer();
      for (let i = 0; i < 8; i++) {
        const page = await fetch(`${limited.origin}/status`);
        expect(page.status).toBe(200);
        // Rendered with the API's data: server-side rendering was not refused.
        expect(await page.text()).toContain('hardening-alpha');
      }
      const forged = await fetch(`${limited.origin}/api/mirrors`, { headers: { 'x-mirrorwatch-internal': 'a'.repeat(43) } });
      expect(forged.status).toBe(429);
    });

    it('gives dashboard pages a request id as well, keeping a sane one set by a proxy', async () => {
      const kept = await fetch(`${limited.origin}/status`, { headers: { 'X-Request-Id': 'edge-page-7' } });
      expect(kept.headers.get('x-request-id')).toBe('edge-page-7');
      const forged = await fetch(`${limited.origin}/`, { headers: { 'X-Request-Id': 'a b\tc' } });
      expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('with TRUST_PROXY=1 keys clients by X-Forwarded-For, and IPv6 clients by their /64', async () => {
      const get = (forwardedFor: string) =>
        fetch(`${proxied.origin}/api/incidents`, { headers: { 'X-Forwarded-For': forwardedFor } }).then((r) => r.status);
      expect([await get('203.0.113.1'), await get('203.0.113.1'), await get('203.0.113.1')]).toEqual([200, 200, 429]);
      expect(await get('203.0.113.2')).toBe(200);
      expect([await get('2001:db8:1:2::1'), await get('2001:db8:1:2::ffff'), await get('2001:db8:1:2:aaaa::1')]).toEqual([200, 200, 429]);
      expect(await get('2001:db8:1:3::1')).toBe(200);
    });

    it('bounds each client on the exports whichever path serves them: one bucket, keyed by X-Forwarded-For', async () => {
      // `?count=03` is not a canonical URL, so Nest serves it; the others take the export wire path before Express.
      const get = (target: string, forwardedFor: string) =>
        fetch(`${proxied.origin}${target}`, { headers: { 'X-Forwarded-For': forwardedFor } });
      const statuses: number[] = [];
      for (const target of ['/api/recommended-daemon.json', '/api/recommended-daemon.json?count=03', '/api/export/daemon-json']) {
        statuses.push((await get(target, '198.51.100.7')).status);
      }
      const refused = await get('/api/recommended-daemon.json', '198.51.100.7');
      expect([...statuses, refused.status]).toEqual([200, 200, 200, 429]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(await refused.json()).toMatchObject({ statusCode: 429, message: expect.stringMatching(/retry after/) });
      expect((await get('/api/recommended-daemon.json', '198.51.100.8')).status).toBe(200);
    });
  });

  describe('bodies the REST fuzzer found', () => {
    const adminPost = (route: string, body: string) =>
      fetch(`${product.origin}/api/admin/${route}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body,
      });

    it('answers a lone surrogate escape with a 400 naming the body, not a 500 from the driver', async () => {
      const response = await adminPost('mirrors', '{"url":"https://[::1]:9","name":"\\ud800","notes":"x"}');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ field: 'body', message: expect.stringMatching(/"name" is not valid Unicode/) });
    });

    it('names an empty unknown key as ""', async () => {
      const response = await adminPost('mirrors', '{"url":"https://m.example","":{"a":true}}');
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ field: '""' });
    });
  });

  describe('private mirrors and /metrics', () => {
    it('leaves private mirrors out of public /metrics, with a random id that says nothing of the URL', async () => {
      const all = (await (
        await fetch(`${product.origin}/api/admin/mirrors`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } })
      ).json()) as { id: string; url: string; visibility: string }[];
      const privateMirror = all.find((m) => m.visibility === 'private');
      expect(privateMirror?.id).toMatch(/^private-[0-9a-f]{16}$/);
      expect(privateMirror?.id).not.toContain(String(privatePort));
      let metrics = '';
      for (let attempt = 0; attempt < 60 && !metrics.includes('mirrorwatch_probe_success{'); attempt++) {
        metrics = await (await fetch(`${product.origin}/metrics`)).text();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(metrics).toContain('mirrorwatch_probe_success{');
      expect(metrics).not.toContain(privateMirror?.id ?? 'missing');
      expect(metrics).not.toContain(String(privatePort));
    });

    it('with METRICS_TOKEN, /metrics needs the token and then shows private mirrors too', async () => {
      const refused = await fetch(`${proxied.origin}/metrics`);
      expect(refused.status).toBe(401);
      expect(((await refused.json()) as { field?: string }).field).toBe('authorization');
      expect((await fetch(`${proxied.origin}/metrics`, { headers: { Authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      let text = '';
      for (let attempt = 0; attempt < 60 && !/mirror="private-/.test(text); attempt++) {
        const response = await fetch(`${proxied.origin}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
        expect(response.status).toBe(200);
        text = await response.text();
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      expect(text).toMatch(/mirrorwatch_mirror_status\{mirror="private-[0-9a-f]{16}"/);
      // A scrape with the token is trusted: this product's allowance (2 a minute) does not apply to it.
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const response = await fetch(`${proxied.origin}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } });
        statuses.push(response.status);
        await response.arrayBuffer();
      }
      expect(statuses).toEqual([200, 200, 200, 200]);
    });
  });
});
