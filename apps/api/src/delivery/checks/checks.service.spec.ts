import type { ServerResponse } from 'node:http';
import { describe, expect, it } from 'vitest';
import {
  HOSTILE_DNS,
  buildFakeImage,
  fakeRegistry,
  fakeTokenServer,
  hostileDestinations,
  serversClosedAfterSuite,
  testResolver,
} from '@mirrorwatch/probe/testing';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { ChecksService } from './checks.service.js';

/**
 * "Check my mirror" against real servers on 127.0.0.1. The service runs with
 * a test resolver; `public-mirror.test` stands for a mirror on the internet
 * (it resolves to loopback, declared public for the test), every other name
 * and literal is judged by its address. Before the outbound policy, `/api/checks`
 * did not exist; the matrix also pins that no hostile form reaches a socket.
 */
const image = buildFakeImage([4096]);
const start = serversClosedAfterSuite();

let internalHits = 0;
const internal = await start((request, response) => {
  internalHits++;
  fakeRegistry({ image })(request, response);
});

function service(env: Record<string, string> = {}): ChecksService {
  const resolver = testResolver({ ...HOSTILE_DNS, 'public-mirror.test': ['127.0.0.1'] });
  return new ChecksService(loadConfig(env), { lookup: resolver.lookup, publicHostsForTesting: new Set(['public-mirror.test']) });
}

async function refusal(promise: Promise<unknown>): Promise<{ status: number; body: Record<string, unknown> }> {
  try {
    await promise;
  } catch (error) {
    const http = error as { getStatus(): number; getResponse(): Record<string, unknown> };
    return { status: http.getStatus(), body: http.getResponse() };
  }
  throw new Error('expected a refusal');
}

/** Hops: the rebinding name is left out here (its first answer is a real public address, and tests never leave loopback); the probe engine's matrix covers it. */
const hopDestinations = hostileDestinations(internal.port).filter(({ name }) => !name.startsWith('rebinding'));

const redirectTo = (location: string) => (_request: unknown, response: ServerResponse) => {
  response.writeHead(307, { location });
  response.end();
};

describe('ChecksService', () => {
  it('checks a public mirror: verdict, phase timings, one verified blob, and the same result by id', async () => {
    const tokens = await start(fakeTokenServer('check-token'));
    const mirror = await start(
      fakeRegistry({ image, auth: { realm: `http://public-mirror.test:${tokens.port}/token`, service: 's', token: 'check-token' } }),
    );
    const checks = service();
    const check = await checks.create({ url: `http://public-mirror.test:${mirror.port}/` });
    expect(check).toMatchObject({
      url: `http://public-mirror.test:${mirror.port}`,
      verdict: 'usable',
      failureClass: null,
      digest: image.indexDigest,
    });
    expect(check.blob).toMatchObject({ verified: true });
    expect(check.timings.dnsMs).toBeGreaterThan(0);
    expect(check.timings.manifestMs).toBeGreaterThan(0);
    expect(check.timings.tokenMs).toBeGreaterThan(0);
    expect(check.id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Date.parse(check.expiresAt)).toBeGreaterThan(Date.now());
    expect(checks.get(check.id)).toEqual(check);
    expect((await refusal(Promise.resolve().then(() => checks.get('nope')))).status).toBe(404);
  });

  it.each(hostileDestinations(internal.port))('answers 400 naming url for a target at $name', async ({ url }) => {
    internalHits = 0;
    const { status, body } = await refusal(service().create({ url }));
    expect(status).toBe(400);
    expect(body).toMatchObject({ field: 'url', message: expect.stringMatching(/^url: .*(outbound address policy|does not resolve)/) });
    expect(internalHits).toBe(0);
  });

  it.each(hopDestinations.map((destination) => ({ ...destination, hop: 'token realm' as const })))(
    'refuses a $hop at $name of a public target',
    async ({ url }) => {
      internalHits = 0;
      const mirror = await start(fakeRegistry({ image, auth: { realm: `${url}/token`, service: 's', token: 'x' } }));
      const check = await service().create({ url: `http://public-mirror.test:${mirror.port}` });
      expect({ verdict: check.verdict, failureClass: check.failureClass, failedPhase: check.failedPhase }).toEqual({
        verdict: 'unusable',
        failureClass: 'blocked_address',
        failedPhase: 'token',
      });
      expect(internalHits).toBe(0);
    },
  );

  it.each(hopDestinations)('refuses a redirect of /v2/ to $name of a public target', async ({ url }) => {
    internalHits = 0;
    const mirror = await start(fakeRegistry({ image, overrides: { ping: redirectTo(`${url}/v2/`) } }));
    const check = await service().create({ url: `http://public-mirror.test:${mirror.port}` });
    expect({ failureClass: check.failureClass, failedPhase: check.failedPhase }).toEqual({
      failureClass: 'blocked_address',
      failedPhase: 'ping',
    });
    expect(internalHits).toBe(0);
  });

  it('lets ALLOW_PRIVATE_CHECK_TARGETS check a mirror on a private address, but never cloud metadata', async () => {
    const checks = service({ ALLOW_PRIVATE_CHECK_TARGETS: 'true' });
    const check = await checks.create({ url: internal.url });
    expect(check).toMatchObject({ verdict: 'usable' });
    expect((await refusal(checks.create({ url: 'http://2852039166' }))).body).toMatchObject({
      field: 'url',
      message: expect.stringContaining('link-local'),
    });
  });

  it.each([
    [undefined, /must be a string/],
    [{ url: 42 }, /must be a string/],
    [{ url: 'docker.m.daocloud.io' }, /no scheme/],
    [{ url: 'ftp://mirror.example' }, /scheme "ftp"/],
    [{ url: 'https://mirror.example/v2/' }, /path/],
    [{ url: 'https://user:pw@mirror.example' }, /credentials/],
    [{ url: `https://${'a'.repeat(2100)}.example` }, /longer than 2048/],
    [{ url: 'https://nxdomain.test' }, /does not resolve \(ENOTFOUND\)/],
  ])('answers 400 naming url for the body %j', async (body, message) => {
    const { status, body: answer } = await refusal(service().create(body));
    expect(status).toBe(400);
    expect(answer).toMatchObject({ field: 'url', message: expect.stringMatching(message) });
  });

  it('runs one check per URL at a time', async () => {
    let release: () => void = () => undefined;
    let arrived: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const firstRequest = new Promise<void>((resolve) => (arrived = resolve));
    const slow = await start(async (request, response) => {
      arrived();
      await gate;
      fakeRegistry({ image })(request, response);
    });
    const checks = service();
    const url = `http://public-mirror.test:${slow.port}`;
    const first = checks.create({ url });
    await firstRequest;
    const second = await refusal(checks.create({ url: `${url}/` }));
    expect(second).toMatchObject({ status: 409, body: { field: 'url' } });
    release();
    await expect(first).resolves.toMatchObject({ verdict: 'usable' });
  });
});
