import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NextWebHost, type NextWebHostOptions } from './next-web-host.js';

type IdleChange = Parameters<NonNullable<NextWebHostOptions['onIdleChange']>>[0];

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

/** The API the dashboard's server components fetch: a stand-in recording what reaches it, its origin and token put in the environment. */
async function startStandInApi(calls: IncomingHttpHeaders[]): Promise<Server> {
  const api = createServer((req, res) => {
    calls.push(req.headers);
    res.writeHead(503, { 'Content-Type': 'application/json' }).end('{"message":"stand-in"}');
  });
  process.env['MIRRORWATCH_INTERNAL_ORIGIN'] = await listen(api);
  process.env['MIRRORWATCH_INTERNAL_TOKEN'] = 'token-from-the-api-thread';
  return api;
}

/** Whether a process of that id still runs: not gone, and not a zombie waiting for whoever adopted it to reap it. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let waited = 0; !condition(); waited += 50) {
    if (waited > 60_000) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * The built dashboard (apps/web/.next) in its own process, behind a plain
 * HTTP server that forwards to it as mountWebHost does. The API its server
 * components fetch is a stand-in recording what reaches it: no product
 * here, so that what is checked is the process: it renders, it sees the
 * environment the API set, it is started again after a crash, and it is
 * gone after close. The product-level cases are in apps/web-e2e.
 */
describe('NextWebHost (the dashboard in a child process)', () => {
  const internalCalls: IncomingHttpHeaders[] = [];
  const availability: boolean[] = [];
  let api: Server;
  let front: Server;
  let frontOrigin: string;
  let host: NextWebHost;

  beforeAll(async () => {
    api = await startStandInApi(internalCalls);
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

  it('serves a page rendered in another process, with the API environment, keeping its own headers; HEAD and assets too', async () => {
    const dashboard = host.running();
    expect(dashboard?.pid).toBeGreaterThan(0);
    expect(dashboard?.pid).not.toBe(process.pid);
    expect(alive(dashboard?.pid ?? 0)).toBe(true);
    const page = await send(frontOrigin, '/status');
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.headers['x-request-id']).toBe('front-1');
    expect(page.body).toContain('<html lang="en"');
    // Server components reached the API with the token the API put in the environment the process inherited.
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

  it('a process that dies is reported, started again on another port, and serves again', async () => {
    const crashed = host.running();
    expect(crashed).not.toBeNull();
    // Stands in for an uncaught error, running out of memory or the OOM killer: the process ends without being asked to.
    process.kill(crashed?.pid ?? 0, 'SIGKILL');
    expect(await crashed?.exited).toBe(128 + 9);
    expect(host.available()).toBe(false);
    expect((await send(frontOrigin, '/status')).status).toBe(502);
    for (let waited = 0; !host.available() && waited < 60_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(availability).toEqual([false, true]);
    expect(host.running()?.pid).not.toBe(crashed?.pid);
    expect((await send(frontOrigin, '/status')).status).toBe(200);
  });

  it('after close, the process is gone and its port refuses connections', async () => {
    const dashboard = host.running();
    expect(dashboard).not.toBeNull();
    await host.close();
    const exitCode = await dashboard?.exited;
    expect(typeof exitCode).toBe('number');
    expect(alive(dashboard?.pid ?? 0)).toBe(false);
    expect(host.available()).toBe(false);
    await expect(send(dashboard?.origin as string, '/status')).rejects.toThrow(/ECONNREFUSED/);
    expect((await send(frontOrigin, '/status')).status).toBe(502);
  });
});

/**
 * The built dashboard's process stopped when nobody uses it and started again
 * by the next request (issue 10: loaded, Next holds 60-80 MiB). A one-second
 * idle limit stands in for the default five minutes; what is checked is the
 * order of things (stopped only when idle, never under a request, one start
 * for many requests, serving again after), not how long anything takes.
 */
describe('NextWebHost when idle', () => {
  const changes: IdleChange['state'][] = [];
  const availability: boolean[] = [];
  let api: Server;
  let front: Server;
  let frontOrigin: string;
  let host: NextWebHost;

  beforeAll(async () => {
    api = await startStandInApi([]);
    host = await NextWebHost.start({
      idleStopMs: 1_000,
      onIdleChange: (change) => changes.push(change.state),
      onAvailability: (available) => availability.push(available),
    });
    front = createServer((req, res) => void host.handle(req, res).catch(() => res.writeHead(502).end('no dashboard')));
    frontOrigin = await listen(front);
  });

  afterAll(async () => {
    await host.close();
    await new Promise<void>((resolve) => front.close(() => resolve()));
    await new Promise<void>((resolve) => api.close(() => resolve()));
  });

  it('stops the process once idle, stays available, and the next request starts a new one and is served', async () => {
    expect((await send(frontOrigin, '/status')).status).toBe(200);
    const first = host.running();
    expect(first).not.toBeNull();
    await until(() => host.isAsleep(), 'the idle process to stop');
    expect(await first?.exited).toEqual(expect.any(Number));
    // Gone, not parked: everything it held is back with the system.
    expect(alive(first?.pid ?? 0)).toBe(false);
    expect(host.running()).toBeNull();
    expect(host.available()).toBe(true);
    await expect(send(first?.origin as string, '/status')).rejects.toThrow(/ECONNREFUSED/);

    expect((await send(frontOrigin, '/status')).status).toBe(200);
    const second = host.running();
    expect(second?.pid).not.toBe(first?.pid);
    expect(host.isAsleep()).toBe(false);
    expect(changes).toEqual(['idle', 'awake']);
    // Stopping for idleness is not an outage: readiness was never told the dashboard was unavailable.
    expect(availability).toEqual([]);
  });

  it('never stops the process while work runs on it, however long it takes', async () => {
    const used = await host.use(async (running) => {
      // Three idle limits pass while the work holds the process.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(host.running()).toBe(running);
      expect(host.isAsleep()).toBe(false);
      return running;
    });
    expect(host.running()).toBe(used);
  });

  it('requests arriving while it sleeps share one start', async () => {
    await until(() => host.isAsleep(), 'the idle process to stop');
    const starts = () => changes.filter((state) => state === 'awake').length;
    const startsBefore = starts();
    const answers = (await Promise.all(['/status', '/', '/status'].map((path) => send(frontOrigin, path)))).map((answer) => answer.status);
    expect(answers).toEqual([200, 200, 200]);
    expect(starts()).toBe(startsBefore + 1);
  });

  it('after close, a request neither wakes it nor hangs', async () => {
    await host.close();
    expect(host.available()).toBe(false);
    expect((await send(frontOrigin, '/status')).status).toBe(502);
    expect(host.running()).toBeNull();
  });
});

/**
 * An API that is killed outright (SIGKILL, the OOM killer) runs no shutdown:
 * its dashboard process must still not outlive it, holding memory and a port
 * for nobody. The API here is a separate node running the built host.
 */
describe('NextWebHost when the API is killed', () => {
  it('the dashboard process ends with it', async () => {
    const hostModule = path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'infrastructure', 'web-host', 'next-web-host.js');
    const api = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `setInterval(() => undefined, 60_000); const { NextWebHost } = await import(${JSON.stringify(hostModule)}); const host = await NextWebHost.start(); console.log('dashboard pid ' + host.running().pid);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      const dashboardPid = await new Promise<number>((resolve, reject) => {
        let output = '';
        api.stdout.on('data', (chunk: Buffer) => {
          output += chunk.toString();
          const match = /dashboard pid (\d+)/.exec(output);
          if (match) resolve(Number(match[1]));
        });
        api.once('exit', (code) => reject(new Error(`the API exited with code ${code} before its dashboard loaded: ${output}`)));
      });
      expect(alive(dashboardPid)).toBe(true);
      api.kill('SIGKILL');
      await until(() => !alive(dashboardPid), 'the dashboard process to end after its API was killed');
    } finally {
      api.kill('SIGKILL');
    }
  });
});
