import { createHmac, createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type MirrorSummaryDto } from '@mirrorwatch/api-types';
import {
  containerdForTests,
  ctrContentFetch,
  requireRegistryBinary,
  runSkopeo,
  skopeoForTests,
  startContainerd,
  startLab,
  startProducts,
  type Lab,
  type RunningProduct,
} from '@mirrorwatch/lab';

/**
 * Exports, admin API, metrics, notifications and rate limiting against the
 * built product probing the real lab (Debian docker-registry mirrors and
 * fault servers), with real clients (skopeo) consuming the exports.
 */
const ADMIN_TOKEN = 'integration-admin-token-0123456789';
const WEBHOOK_SECRET = 'webhook-secret';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

// Missing clients fail these checks; only MIRRORWATCH_SKIP=skopeo,containerd skips them (and says so in the summary).
const skopeo = skopeoForTests();
const containerdRequirement = containerdForTests();
const containerd = containerdRequirement.binaries;

interface Received {
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

async function startReceiver(): Promise<{ server: Server; url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received };
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 40_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

describe('exports, admin, metrics, notifications against the real product', () => {
  let lab: Lab;
  let product: RunningProduct;
  let limited: RunningProduct;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workDir: string;
  let origin: string;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-ops-'));
    receiver = await startReceiver();
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await lab.writeCatalog(catalogPath);
    const notificationsPath = path.join(workDir, 'notifications.yaml');
    await writeFile(
      notificationsPath,
      `channels:\n  - type: webhook\n    name: test\n    url: "${receiver.url}"\n    secret: ${WEBHOOK_SECRET}\n`,
    );
    [product, limited] = await startProducts([
      {
        catalogPath,
        lab,
        probeIntervalSeconds: 5,
        env: { ADMIN_TOKEN, NOTIFICATIONS_CONFIG: notificationsPath, LOG_LEVEL: 'debug', PRIVATE_NETWORK_HOSTS: '127.0.0.1' },
      },
      { catalogPath, lab, probeIntervalSeconds: 60, env: { RATE_LIMIT_PER_MINUTE: '5' } },
    ]);
    origin = product.origin;
    await until('two healthy mirrors recommended', async () => {
      const body = (await (await fetch(`${origin}/api/recommended-daemon.json?count=5`)).json()) as { 'registry-mirrors': string[] };
      return body['registry-mirrors'].length === 2;
    });
  });

  afterAll(async () => {
    await Promise.allSettled([product?.stop(), limited?.stop()]);
    await lab?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.each(EXPORT_FORMATS.filter((f) => f !== 'http-proxy-conf'))(
    'serves %s with a strong ETag, 304 on revalidation, the healthy mirrors',
    async (format) => {
      const response = await fetch(`${origin}/api/export/${format}?count=2`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-mirrorwatch-warning')).toBeNull();
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      const body = await response.text();
      for (const variant of ['healthy', 'token'] as const) expect(body).toContain(lab.mirror(variant).host);
      expect(body).not.toContain(lab.mirror('dead').host);
      const etag = response.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await fetch(`${origin}/api/export/${format}?count=2`, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    },
  );

  it('serves docker-desktop as the daemon.json content, equal to /api/recommended-daemon.json', async () => {
    const [desktop, daemon, recommended] = await Promise.all(
      ['/api/export/docker-desktop', '/api/export/daemon-json', '/api/recommended-daemon.json'].map(async (p) =>
        (await fetch(`${origin}${p}?count=3`)).text(),
      ),
    );
    expect(desktop).toBe(daemon);
    expect(JSON.parse(desktop ?? '')).toEqual(JSON.parse(recommended ?? ''));
  });

  it('serves /api/install.sh with its own URL in the usage line', async () => {
    const script = await (await fetch(`${origin}/api/install.sh?count=2`)).text();
    expect(script.startsWith('#!/usr/bin/env bash')).toBe(true);
    expect(script).toContain(`curl -fsSL ${origin}/api/install.sh | sudo bash`);
    expect(script).toContain(lab.mirror('healthy').url);
  });

  it('merges a Docker Desktop daemon.json, keeping every other key', async () => {
    const desktop = {
      builder: { gc: { defaultKeepStorage: '20GB', enabled: true } },
      experimental: false,
      'registry-mirrors': ['https://old.example'],
      features: { buildkit: true },
    };
    const response = await fetch(`${origin}/api/recommended-daemon.json?count=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(desktop),
    });
    expect(response.status).toBe(200);
    const merged = (await response.json()) as Record<string, unknown>;
    const recommended = (await (await fetch(`${origin}/api/recommended-daemon.json?count=2`)).json()) as Record<string, unknown>;
    expect(merged).toEqual({ ...desktop, 'registry-mirrors': recommended['registry-mirrors'] });
    expect(Object.keys(merged)).toEqual(Object.keys(desktop));
  });

  it.each([
    ['a trailing comma', '{\n  "debug": true,\n}', 3, 1],
    ['a missing quote', '{\n  "debug: true\n}', 2, 15],
  ])('rejects daemon.json with %s: 400 with line and column', async (_name, text, line, column) => {
    const response = await fetch(`${origin}/api/recommended-daemon.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; line: number; column: number; field: string };
    expect(body).toMatchObject({ field: 'body', line, column });
    expect(body.message).toContain(`line ${line}, column ${column}`);
  });

  it.each([
    ['httpProxy=ftp://proxy:21', 'httpProxy'],
    ['httpsProxy=http://proxy:3128/path', 'httpsProxy'],
    ['httpProxy=http://proxy:3128&noProxy=a b', 'noProxy'],
    ['', 'httpProxy'],
  ])('validates http-proxy-conf parameters: %s -> 400 naming %s', async (query, field) => {
    const response = await fetch(`${origin}/api/export/http-proxy-conf?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, field });
  });

  it('renders the http-proxy drop-in', async () => {
    const response = await fetch(`${origin}/api/export/http-proxy-conf?httpProxy=http://proxy.corp:3128&noProxy=localhost,.corp`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Environment="HTTP_PROXY=http://proxy.corp:3128"');
  });

  it.each([
    ['/api/export/nginx-conf', 404],
    ['/api/export/daemon-json?count=0', 400],
    ['/api/install.sh?count=abc', 400],
  ])('%s -> %i with a message', async (url, status) => {
    const response = await fetch(`${origin}${url}`);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toMatch(/format|count/);
  });

  it.skipIf(skopeo.skip)(
    `skopeo pulls docker.io/library/alpine through the top-ranked mirror with the generated registries.conf${skopeo.label}`,
    async () => {
      const conf = await (await fetch(`${origin}/api/export/registries-conf?count=1`)).text();
      const confPath = path.join(workDir, 'registries.conf');
      await writeFile(confPath, conf);
      const out = path.join(workDir, 'alpine');
      const result = await runSkopeo(
        [
          '--insecure-policy',
          '--registries-conf',
          confPath,
          'copy',
          '--override-os',
          'linux',
          '--override-arch',
          'amd64',
          'docker://docker.io/library/alpine:latest',
          `dir:${out}`,
        ],
        { timeoutMs: 60_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(
        `sha256:${createHash('sha256')
          .update(await readFile(path.join(out, 'manifest.json')))
          .digest('hex')}`,
      ).toBe(lab.alpine.amd64Manifest);
    },
  );

  /**
   * The exported hosts.toml is used verbatim: mirror entries and `server`
   * alike. `server` stays https://registry-1.docker.io, which containerd only
   * tries once every mirror host failed; this machine has no internet, so a
   * success can only have come through a lab mirror. The digest says so on
   * its own too: the lab's alpine is built by the lab and exists on no other
   * registry. The lab mirrors are plain http: containerd takes the scheme
   * from the `[host."http://…"]` key (without it, it speaks https and fails
   * with "server gave HTTP response to HTTPS client").
   * (k3s's registries.yaml has no offline client here: no k3s binary.)
   */
  it.skipIf(containerdRequirement.skip)(
    `containerd (ctr content fetch) pulls docker.io/library/alpine:latest through the mirrors of the exported hosts.toml${containerdRequirement.label}`,
    async () => {
      if (!containerd) throw new Error('unreachable: containerdForTests() returns binaries unless skipped');
      const hostsToml = await (await fetch(`${origin}/api/export/containerd-hosts-toml?count=2`)).text();
      expect(hostsToml).toContain('server = "https://registry-1.docker.io"');
      const daemon = await startContainerd(containerd);
      try {
        const fetched = await ctrContentFetch(daemon, {
          namespace: 'exported-hosts-toml',
          hostsToml,
          image: 'docker.io/library/alpine:latest',
          platform: 'linux/amd64',
          timeoutMs: 20_000,
        });
        expect(fetched.ok, `${fetched.stdout}\n${fetched.stderr}`).toBe(true);
        expect(fetched.manifestDigests).toEqual([lab.alpine.amd64Manifest]);
        for (const digest of [lab.alpine.index, lab.alpine.amd64Manifest, lab.alpine.config, lab.alpine.layer])
          expect(await fetched.holds(digest), digest).toBe(true);
      } finally {
        await daemon.stop();
      }
    },
  );

  describe('admin API', () => {
    it.each([
      [{}, 401],
      [{ Authorization: 'Bearer wrong-token-wrong-token' }, 401],
      [{ Authorization: `Bearer ${ADMIN_TOKEN}x` }, 401],
      [auth, 200],
    ])('GET /api/admin/mirrors with %o -> %i', async (headers, status) => {
      expect((await fetch(`${origin}/api/admin/mirrors`, { headers })).status).toBe(status);
    });

    it('answers 403 saying how to enable it when ADMIN_TOKEN is unset', async () => {
      const response = await fetch(`${limited.origin}/api/admin/mirrors`, { headers: auth });
      expect(response.status).toBe(403);
      expect(((await response.json()) as { message: string }).message).toBe('admin API disabled: set ADMIN_TOKEN');
    });

    it.each([
      [{ url: 'https://mirror.example/v2/' }, 'url'],
      [{ url: 'ftp://mirror.example' }, 'url'],
      [{}, 'url'],
      [{ url: 'https://mirror.example', visibility: 'secret' }, 'visibility'],
      [{ url: 'https://mirror.example', colour: 'red' }, 'colour'],
    ])('rejects %o with a 400 naming %s', async (body, field) => {
      const response = await fetch(`${origin}/api/admin/mirrors`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ field });
    });

    it('ranks a private mirror in admin views only, never on public endpoints or in logs', async () => {
      // The healthy lab mirror under another URL: a distinct mirror to mirrorwatch, and a working one.
      const privateUrl = lab.mirror('healthy').url.replace('127.0.0.1', 'localhost');
      const created = await fetch(`${origin}/api/admin/mirrors`, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ url: privateUrl, name: 'my accelerator' }),
      });
      expect(created.status).toBe(201);
      const mirror = (await created.json()) as { id: string; visibility: string };
      expect(mirror.visibility).toBe('private');
      expect(mirror.id).toMatch(/^private-[0-9a-f]{16}$/);

      await until('the private mirror to be recommended to the admin', async () => {
        const probed = await fetch(`${origin}/api/admin/mirrors/${mirror.id}/probe`, { method: 'POST', headers: auth });
        expect(probed.status).toBe(200);
        const admin = (await (await fetch(`${origin}/api/admin/recommended-daemon.json?count=10`, { headers: auth })).json()) as {
          'registry-mirrors': string[];
        };
        return admin['registry-mirrors'].includes(privateUrl);
      });
      const adminList = (await (await fetch(`${origin}/api/admin/mirrors`, { headers: auth })).json()) as { id: string; url: string }[];
      expect(adminList.find((m) => m.id === mirror.id)?.url).toBe(privateUrl);
      const adminExport = await fetch(`${origin}/api/admin/export/containerd-hosts-toml?count=10`, { headers: auth });
      expect(await adminExport.text()).toContain(privateUrl);
      expect(adminExport.headers.get('cache-control')).toMatch(/^private/);

      const host = new URL(privateUrl).host;
      const publicPaths = [
        '/api/mirrors',
        '/api/recommended-daemon.json?count=10',
        ...EXPORT_FORMATS.filter((f) => f !== 'http-proxy-conf').map((f) => `/api/export/${f}?count=10`),
        '/metrics',
      ];
      for (const publicPath of publicPaths) {
        const text = await (await fetch(`${origin}${publicPath}`)).text();
        expect(text, publicPath).not.toContain(host);
      }
      const metrics = await (await fetch(`${origin}/metrics`)).text();
      // Public /metrics leaves private mirrors out entirely (METRICS_TOKEN scrapes see them: hardening.int-spec.ts).
      expect(metrics).toContain('mirrorwatch_probe_success{');
      expect(metrics).not.toContain(mirror.id);
      expect(product.output()).not.toContain(host);
      expect(product.output()).not.toContain(ADMIN_TOKEN);

      const patched = await fetch(`${origin}/api/admin/mirrors/${mirror.id}`, {
        method: 'PATCH',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ enabled: false }),
      });
      expect(((await patched.json()) as { enabled: boolean }).enabled).toBe(false);
      expect((await fetch(`${origin}/api/admin/mirrors/${mirror.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
      expect((await fetch(`${origin}/api/admin/mirrors/${mirror.id}`, { method: 'DELETE', headers: auth })).status).toBe(404);
    });
  });

  it('exposes blackbox-style probe metrics, failure classes and scheduler figures at /metrics', async () => {
    const response = await fetch(`${origin}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    const mirrors = (await (await fetch(`${origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
    const healthy = mirrors.find((m) => m.url === lab.mirror('healthy').url);
    const dead = mirrors.find((m) => m.url === lab.mirror('dead').url);
    for (const phase of ['resolve', 'connect', 'tls', 'processing', 'transfer']) {
      expect(text).toMatch(
        new RegExp(
          `mirrorwatch_probe_duration_seconds\\{mirror="${healthy?.id}",vantage="local",kind="light",phase="${phase}"\\} [0-9.e-]+`,
        ),
      );
    }
    expect(text).toMatch(/mirrorwatch_probes_total\{mirror="[^"]+",vantage="local",kind="light",result="connect_refused"\} [1-9]/);
    expect(text).toContain(`mirrorwatch_mirror_status{mirror="${dead?.id}",status="down"} 1`);
    expect(text).toContain(`mirrorwatch_mirror_status{mirror="${dead?.id}",status="up"} 0`);
    expect(text).toMatch(/mirrorwatch_scheduler_cycle_duration_seconds\{kind="light"\} [0-9.]+/);
    expect(text).toMatch(/mirrorwatch_scheduler_cycle_lag_seconds\{kind="light"\} [0-9.]+/);
  });

  it('signs webhook notifications of mirrors going down with HMAC-SHA256 and sends each once', async () => {
    const deadHost = lab.mirror('dead').url;
    const deliveries = await until('a down notification for the dead mirror', async () => {
      const found = receiver.received.filter((r) => r.body.includes('"event":"down"') && r.body.includes(deadHost));
      return found.length > 0 ? found : null;
    });
    const [delivery] = deliveries;
    const expected = `sha256=${createHmac('sha256', WEBHOOK_SECRET)
      .update(delivery?.body ?? '')
      .digest('hex')}`;
    expect(delivery?.headers['x-mirrorwatch-signature']).toBe(expected);
    expect(delivery?.headers['x-mirrorwatch-event']).toBe('down');
    expect(JSON.parse(delivery?.body ?? '{}')).toMatchObject({ event: 'down', status: 'down', failureClass: 'connect_refused' });
    expect(deliveries).toHaveLength(1);
  });

  it('limits each client IP and answers 429 with Retry-After; health and metrics are exempt', async () => {
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 8; i++) {
      const response = await fetch(`${limited.origin}/api/mirrors`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
    }
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(5);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    for (const exempt of ['/api/health/live', '/metrics']) expect((await fetch(`${limited.origin}${exempt}`)).status).toBe(200);
  });
});
