import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { threadId, type Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextWebHost } from './next-web-host.js';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

function send(origin: string, path: string, method = 'GET'): Promise<Answer> {
  return new Promise<Answer>((resolve, reject) => {
    const req = request(`${origin}${path}`, { method }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * The built dashboard (apps/web/.next) on its own thread, behind a plain
 * HTTP server that forwards to it as mountWebHost does. The API its server
 * components fetch is a stand-in recording what reaches it: no product
 * here, so that what is checked is the thread: it renders, it sees the
 * environment the API thread set, it is started again after a crash, and
 * it is gone after close. The product-level cases are in apps/web-e2e.
 */
describe('NextWebHost (the dashboard on a worker thread)', () => {
  const internalCalls: IncomingHttpHeaders[] = [];
  const availability: boolean[] = [];
  let api: Server;
  let front: Server;
  let frontOrigin: string;
  let host: NextWebHost;

  beforeAll(async () => {
    api = createServer((req, res) => {
      internalCalls.push(req.headers);
      res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"message":"stand-in"}');
    });
    process.env['MIRRORWATCH_INTERNAL_ORIGIN'] = await listen(api);
    process.env['MIRRORWATCH_INTERNAL_TOKEN'] = 'token-from-the-api-thread';
    host = await NextWebHost.start({ restartDelayMs: 50, onAvailability: (available) => availability.push(available) });
    front = createServer((req, res) => {
      res.setHeader('X-Request-Id', 'front-1');
      host.handle(req, res).catch(() => res.writeHead(502).end('no dashboard'));
    });
    frontOrigin = await listen(front);
  });

  afterAll(async () => {
    await host.close();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await new Promise<void>((resolve) => api.close(() => resolve()));
  });

  it('serves a page rendered on another thread, with the API thread environment, keeping its own headers; HEAD and assets too', async () => {
    const thread = host.thread();
    expect(thread?.threadId).toBeGreaterThan(0);
    expect(thread?.threadId).not.toBe(threadId);
    const page = await send(frontOrigin, '/status');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-request-id']).toBe('front-1');
    expect(page.body).toContain('<html lang="en"');
    // Server components reached the API with the token the API thread put in the environment (SHARE_ENV).
    expect(internalCalls.some((headers) => headers['x-mirrorwatch-internal'] === 'token-from-the-api-thread')).toBe(true);
    const head = await send(frontOrigin, '/status', 'HEAD');
    expect(head.status).toBe(200);
    expect(head.body).toBe('');
    const stylesheet = /\/_next\/static\/[^"]+\.css/.exec(page.body)?.[0];
    expect(stylesheet).toBeDefined();
    const asset = await send(frontOrigin, stylesheet as string);
    expect(asset.status).toBe(200);
    expect(asset.headers['cache-control']).toContain('immutable');
    expect((await send(frontOrigin, '/no-such-page')).status).toBe(404);
  });

  it('a thread that dies is reported, started again on another port, and serves again', async () => {
    const crashed = host.thread();
    expect(crashed).not.toBeNull();
    // Stands in for an uncaught error or running out of memory: the thread ends without being asked to.
    await (crashed as unknown as { worker: Worker }).worker.terminate();
    await crashed?.exited;
    expect(host.available()).toBe(false);
    expect((await send(frontOrigin, '/status')).status).toBe(502);
    for (let waited = 0; !host.available() && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(availability).toEqual([false, true]);
    expect(host.thread()?.threadId).not.toBe(crashed?.threadId);
    expect((await send(frontOrigin, '/status')).status).toBe(200);
  });

  it('after close, the thread is gone and its port refuses connections', async () => {
    const thread = host.thread();
    expect(thread).not.toBeNull();
    await host.close();
    const exitCode = await thread?.exited;
    expect(typeof exitCode).toBe('number');
    expect(host.available()).toBe(false);
    await expect(send(thread?.origin as string, '/status')).rejects.toThrow(/ECONNREFUSED/);
    expect((await send(frontOrigin, '/status')).status).toBe(502);
  });
});
