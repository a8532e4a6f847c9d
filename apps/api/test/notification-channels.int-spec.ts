import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderCatalogYaml, requireRegistryBinary, startLab, startProducts, type Lab, type RunningProduct } from '@mirrorwatch/lab';

/**
 * Notification channels managed through the admin API, against the built
 * product probing the real lab: an admin webhook channel receives a signed
 * message when a lab mirror goes down, without a restart; the test endpoint
 * goes through the real provider; file channels are listed read-only; secrets
 * never leave the product (GET responses, logs).
 */
const ADMIN_TOKEN = 'channels-admin-token-0123456789';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };
const json = { ...auth, 'Content-Type': 'application/json' };
/** Every credential of the test: none may appear in a GET response or in the product's output. */
const FILE_TOKEN = 'filetoken-5d1c9e';
const FILE_SECRET = 'SECfilesecret-77aa';
const HOOK_TOKEN = 'hooktoken-a81f3b';
const HOOK_SECRET = 'hook-secret-c0ffee';
const SECRETS = [FILE_TOKEN, FILE_SECRET, HOOK_TOKEN, HOOK_SECRET, ADMIN_TOKEN];

interface Received {
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A chat-bot stand-in on 127.0.0.1: records every POST; `/fail` answers 500, the rest `{"errcode":0}`. */
async function startReceiver(): Promise<{ server: Server; base: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      received.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body });
      const status = url.pathname === '/fail' ? 500 : 200;
      res.writeHead(status, { 'Content-Type': 'application/json' }).end(status === 200 ? '{"errcode":0}' : '{"error":"receiver says no"}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

/** A port nothing listens on: probes of it fail with connect_refused, which is `down` on the first probe. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function until<T>(
  what: string,
  probe: () => Promise<T | null | undefined | false> | T | null | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function signature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface ChannelDto {
  id: string;
  source: string;
  readOnly: boolean;
  name: string;
  type: string;
  url: string;
  secret: string | null;
  events: string[] | null;
}

describe('notification channels through the admin API, on the real product', () => {
  let lab: Lab;
  let product: RunningProduct;
  let disabled: RunningProduct;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let workDir: string;
  let origin: string;
  let hookUrl: string;

  const api = (pathname: string, init: RequestInit = {}) => fetch(`${origin}/api/admin/notification-channels${pathname}`, init);

  /** Adds a public mirror through the admin API and probes it now; returns its id. */
  async function addMirrorAndProbe(url: string, name: string): Promise<string> {
    const created = await fetch(`${origin}/api/admin/mirrors`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ url, name, visibility: 'public' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const probed = await fetch(`${origin}/api/admin/mirrors/${id}/probe`, { method: 'POST', headers: auth });
    expect(((await probed.json()) as { status: string }).status).toBe('down');
    return id;
  }

  /** Down messages naming the mirror: the webhook's JSON event, or the DingTalk markdown headline. */
  const downFor = (mirrorName: string, pathname: string) =>
    receiver.received.filter(
      (r) =>
        r.path === pathname &&
        r.body.includes(mirrorName) &&
        (r.body.includes('"event":"down"') || r.body.includes(`${mirrorName} is DOWN`)),
    );

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-channels-'));
    receiver = await startReceiver();
    hookUrl = `${receiver.base}/admin-hook?access_token=${HOOK_TOKEN}`;
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    // Only the mirrors this test needs: an on-demand probe runs a whole cycle, and `hang` alone would take its timeout.
    await writeFile(catalogPath, renderCatalogYaml(lab.mirrors.filter((m) => m.variant === 'healthy' || m.variant === 'dead')));
    const notificationsPath = path.join(workDir, 'notifications.yaml');
    await writeFile(
      notificationsPath,
      `channels:\n  - { type: dingtalk, name: file-ding, url: "${receiver.base}/robot/send?access_token=${FILE_TOKEN}", secret: ${FILE_SECRET} }\n`,
    );
    [product, disabled] = await startProducts([
      {
        catalogPath,
        lab,
        probeIntervalSeconds: 60,
        env: { ADMIN_TOKEN, NOTIFICATIONS_CONFIG: notificationsPath, LOG_LEVEL: 'debug', PRIVATE_NETWORK_HOSTS: '127.0.0.1' },
      },
      { catalogPath, lab, probeIntervalSeconds: 60 },
    ]);
    origin = product.origin;
  });

  afterAll(async () => {
    await Promise.allSettled([product?.stop(), disabled?.stop()]);
    await lab?.stop();
    await new Promise((resolve) => receiver?.server.close(resolve));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  describe('authorization', () => {
    it.each([
      ['GET', ''],
      ['POST', ''],
      ['PATCH', '/some-id'],
      ['DELETE', '/some-id'],
      ['POST', '/some-id/test'],
    ])('%s %s answers 401 without or with a wrong token, 403 when the admin API is off', async (method, suffix) => {
      const body =
        method === 'POST' || method === 'PATCH' ? JSON.stringify({ type: 'webhook', name: 'x', url: 'http://127.0.0.1:1/' }) : null;
      const headers = { 'Content-Type': 'application/json' };
      const missing = await api(suffix, { method, headers, body });
      expect(missing.status).toBe(401);
      expect(missing.headers.get('www-authenticate')).toContain('Bearer');
      expect((await api(suffix, { method, headers: { ...headers, Authorization: `Bearer ${ADMIN_TOKEN}-wrong` }, body })).status).toBe(401);
      const off = await fetch(`${disabled.origin}/api/admin/notification-channels${suffix}`, { method, headers: json, body });
      expect(off.status).toBe(403);
      expect(((await off.json()) as { message: string }).message).toBe('admin API disabled: set ADMIN_TOKEN');
    });
  });

  it.each([
    [{ type: 'teams', name: 'x', url: 'https://a.example' }, 'type'],
    [{ type: 'webhook', url: 'https://a.example' }, 'name'],
    [{ type: 'webhook', name: 'x', url: 'ftp://a.example' }, 'url'],
    [{ type: 'webhook', name: 'x', url: 'https://a.example', events: ['exploded'] }, 'events.0'],
    [{ type: 'slack', name: 'x', url: 'https://a.example', secret: 's' }, 'secret'],
    [{ type: 'webhook', name: 'x', url: 'https://a.example', colour: 'red' }, 'colour'],
  ])('POST %o -> 400 naming %s', async (body, field) => {
    const response = await api('', { method: 'POST', headers: json, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, field });
  });

  it('lists the file channel read-only with its token and secret masked; refuses to change it, but tests it', async () => {
    const list = await api('', { headers: auth });
    expect(list.status).toBe(200);
    const text = await list.text();
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    const file = (JSON.parse(text) as ChannelDto[]).find((c) => c.name === 'file-ding');
    expect(file).toMatchObject({
      id: 'file:file-ding',
      source: 'file',
      readOnly: true,
      type: 'dingtalk',
      secret: '***',
      url: `${receiver.base}/robot/send?access_token=***`,
    });

    for (const method of ['PATCH', 'DELETE']) {
      const response = await api('/file:file-ding', {
        method,
        headers: json,
        body: method === 'PATCH' ? JSON.stringify({ name: 'renamed' }) : null,
      });
      expect(response.status, method).toBe(409);
    }
    const clash = await api('', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ type: 'webhook', name: 'file-ding', url: hookUrl }),
    });
    expect(clash.status).toBe(409);

    const before = receiver.received.length;
    const tested = await api('/file:file-ding/test', { method: 'POST', headers: auth });
    expect(await tested.json()).toEqual({ channel: 'file-ding', delivered: true, status: 200, reply: 'HTTP 200, error code 0, accepted' });
    const ding = receiver.received.slice(before).find((r) => r.path === '/robot/send' && r.body.includes('TEST message'));
    // DingTalk signing: sign = base64(HMAC-SHA256(secret, timestamp + "\n" + secret)).
    const timestamp = ding?.query.get('timestamp') ?? '';
    expect(ding?.query.get('sign')).toBe(createHmac('sha256', FILE_SECRET).update(`${timestamp}\n${FILE_SECRET}`).digest('base64'));
    expect(ding?.query.get('access_token')).toBe(FILE_TOKEN);
  });

  it('creates a webhook channel that receives a signed message when a mirror goes down, without a restart; test, change, delete', async () => {
    const created = await api('', {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ type: 'webhook', name: 'pager', url: hookUrl, secret: HOOK_SECRET, events: ['down'] }),
    });
    expect(created.status).toBe(201);
    const createdText = await created.text();
    for (const secret of SECRETS) expect(createdText).not.toContain(secret);
    const channel = JSON.parse(createdText) as ChannelDto;
    expect(channel).toMatchObject({
      source: 'admin',
      readOnly: false,
      name: 'pager',
      type: 'webhook',
      secret: '***',
      events: ['down'],
      url: `${receiver.base}/admin-hook?access_token=***`,
    });

    const listed = await (await api('', { headers: auth })).text();
    for (const secret of SECRETS) expect(listed).not.toContain(secret);
    expect((JSON.parse(listed) as ChannelDto[]).map((c) => `${c.source}:${c.name}`)).toEqual(['file:file-ding', 'admin:pager']);

    // A state change right after the channel was created (no restart, no other admin call): the lab's dead mirror, added under another spelling, goes down on its first probe.
    const deadId = await addMirrorAndProbe(lab.mirror('dead').url.replace('127.0.0.1', 'localhost'), 'dead again');
    const [down] = await until('the admin channel to receive the down message', () => {
      const found = downFor('dead again', '/admin-hook');
      return found.length > 0 ? found : null;
    });
    expect(down?.headers['x-mirrorwatch-event']).toBe('down');
    expect(down?.headers['x-mirrorwatch-signature']).toBe(signature(HOOK_SECRET, down?.body ?? ''));
    expect(down?.query.get('access_token')).toBe(HOOK_TOKEN);
    expect(JSON.parse(down?.body ?? '{}')).toMatchObject({
      event: 'down',
      status: 'down',
      failureClass: 'connect_refused',
      mirror: { id: deadId, name: 'dead again' },
    });
    // The file channel, used alongside, got it too.
    await until('the file channel to receive the down message', () => downFor('dead again', '/robot/send').length > 0);

    // A listing sent back as is (masked URL and secret) keeps the stored token and secret.
    const renamed = await api(`/${channel.id}`, {
      method: 'PATCH',
      headers: json,
      body: JSON.stringify({ name: 'pager-2', url: channel.url, secret: channel.secret }),
    });
    expect(renamed.status).toBe(200);
    expect(await renamed.json()).toMatchObject({ name: 'pager-2', url: channel.url, secret: '***' });

    // The test endpoint: a signed "test" message through the webhook provider, and the receiver's status.
    const tested = await (await api(`/${channel.id}/test`, { method: 'POST', headers: auth })).json();
    expect(tested).toEqual({ channel: 'pager-2', delivered: true, status: 200, reply: 'HTTP 200, error code 0, accepted' });
    const testMessage = receiver.received.find((r) => r.path === '/admin-hook' && r.headers['x-mirrorwatch-event'] === 'test');
    expect(testMessage?.headers['x-mirrorwatch-signature']).toBe(signature(HOOK_SECRET, testMessage?.body ?? ''));
    expect(testMessage?.query.get('access_token')).toBe(HOOK_TOKEN);
    expect(JSON.parse(testMessage?.body ?? '{}')).toMatchObject({ event: 'test', test: true });

    // A receiver that refuses: the test reports its status, never the reply body.
    const toFail = await api(`/${channel.id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ url: `${receiver.base}/fail` }) });
    expect(((await toFail.json()) as ChannelDto).url).toBe(`${receiver.base}/fail`);
    expect(await (await api(`/${channel.id}/test`, { method: 'POST', headers: auth })).json()).toEqual({
      channel: 'pager-2',
      delivered: false,
      status: 500,
      reply: 'HTTP 500, not accepted',
    });

    // Deleted: the next mirror going down reaches the file channel only.
    expect((await api(`/${channel.id}`, { method: 'DELETE', headers: auth })).status).toBe(204);
    expect((await api(`/${channel.id}`, { method: 'DELETE', headers: auth })).status).toBe(404);
    expect((await api(`/${channel.id}/test`, { method: 'POST', headers: auth })).status).toBe(404);
    await addMirrorAndProbe(`http://127.0.0.1:${await closedPort()}`, 'closed port');
    await until('the file channel to receive the second down message', () => downFor('closed port', '/robot/send').length > 0);
    expect(downFor('closed port', '/admin-hook')).toEqual([]);
    expect(downFor('dead again', '/admin-hook')).toHaveLength(1);
  });

  it('never writes a token or secret to its log output', () => {
    const output = product.output();
    expect(output).toContain('admin created a notification channel');
    for (const secret of SECRETS) expect(output).not.toContain(secret);
  });
});
