import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS, type MirrorSummaryDto } from '@mirrorwatch/api-types';
import type { Lab, RunningProduct } from '@mirrorwatch/lab';
import { startLabProduct, until, type LabProduct } from './testing/lab-product.js';

/**
 * Admin API, metrics and notifications against the built product probing the
 * real lab (Debian docker-registry mirrors and fault servers). The exports
 * are in exports.int-spec.ts; the admin API of a product without ADMIN_TOKEN
 * and the rate limits are in hardening.int-spec.ts.
 */
const ADMIN_TOKEN = 'integration-admin-token-0123456789';
const WEBHOOK_SECRET = 'webhook-secret';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

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

describe('admin, metrics, notifications against the real product', () => {
  let running: LabProduct;
  let lab: Lab;
  let product: RunningProduct;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workDir: string;
  let origin: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-ops-'));
    receiver = await startReceiver();
    const notificationsPath = path.join(workDir, 'notifications.yaml');
    await writeFile(
      notificationsPath,
      `channels:\n  - type: webhook\n    name: test\n    url: "${receiver.url}"\n    secret: ${WEBHOOK_SECRET}\n`,
    );
    running = await startLabProduct(workDir, {
      ADMIN_TOKEN,
      NOTIFICATIONS_CONFIG: notificationsPath,
      LOG_LEVEL: 'debug',
      PRIVATE_NETWORK_HOSTS: '127.0.0.1',
    });
    ({ lab, product } = running);
    origin = product.origin;
  });

  afterAll(async () => {
    await running?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  describe('admin API', () => {
    it.each([
      [{}, 401],
      [{ Authorization: 'Bearer wrong-token-wrong-token' }, 401],
      [{ Authorization: `Bearer ${ADMIN_TOKEN}x` }, 401],
      [auth, 200],
    ])('GET /api/admin/mirrors with %o -> %i', async (headers, status) => {
      expect((await fetch(`${origin}/api/admin/mirrors`, { headers })).status).toBe(status);
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
    expect(text).toContain(`mirrorwatch_mirror_status{mirror="${dead?.id}",vantage="local",status="down"} 1`);
    expect(text).toContain(`mirrorwatch_mirror_status{mirror="${dead?.id}",vantage="local",status="up"} 0`);
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
});
