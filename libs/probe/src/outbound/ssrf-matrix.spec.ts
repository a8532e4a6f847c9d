import { describe, expect, it } from 'vitest';
import { probeMirror } from '../probe-mirror.js';
import { buildFakeImage } from '../testing/fake-image.js';
import { fakeCdn, fakeRegistry, fakeTokenServer, type RecordedRequest } from '../testing/fake-registry.js';
import { HOSTILE_DNS, hostileDestinations } from '../testing/hostile-destinations.js';
import { testResolver } from '../testing/test-lookup.js';
import { serversClosedAfterSuite } from '../testing/harness.js';
import type { TestServer } from '../testing/test-servers.js';
import { assertUrlAllowed, type OutboundPolicy } from './outbound-policy.js';

/**
 * The SSRF matrix for the probe engine: a mirror probed in the public scope
 * (it stands on loopback here, declared public through publicHostsForTesting)
 * points its token realm or a redirect at each hostile destination. Every one
 * must end as `blocked_address` with no request reaching the loopback "internal
 * service". On the code before the outbound policy, each of these probes
 * followed the hop (the realm case handed the internal service's token on).
 */
const image = buildFakeImage([2048]);
const start = serversClosedAfterSuite();

let internalHits = 0;
const internal = await start((request, response) => {
  internalHits++;
  // Would hand out a token, as an internal registry's realm might.
  fakeTokenServer('internal-secret')(request, response);
});

type Path = 'token realm' | 'redirect of /v2/' | 'redirect of the manifest' | 'redirect of a blob';
const PATHS: readonly { path: Path; phase: string; kind: 'light' | 'deep' }[] = [
  { path: 'token realm', phase: 'token', kind: 'light' },
  { path: 'redirect of /v2/', phase: 'ping', kind: 'light' },
  { path: 'redirect of the manifest', phase: 'manifest', kind: 'light' },
  { path: 'redirect of a blob', phase: 'blob', kind: 'deep' },
];

async function publicMirrorPointingAt(path: Path, destination: string): Promise<TestServer> {
  const redirect = (suffix: string) => (_request: unknown, response: import('node:http').ServerResponse) => {
    response.writeHead(307, { location: `${destination}${suffix}` });
    response.end();
  };
  switch (path) {
    case 'token realm':
      return start(fakeRegistry({ image, auth: { realm: `${destination}/token`, service: 'mirror', token: 'never-issued' } }));
    case 'redirect of /v2/':
      return start(fakeRegistry({ image, overrides: { ping: redirect('/v2/') } }));
    case 'redirect of the manifest':
      return start(fakeRegistry({ image, overrides: { manifest: redirect('/v2/library/alpine/manifests/latest') } }));
    case 'redirect of a blob':
      return start(fakeRegistry({ image, blobRedirectBase: destination }));
  }
}

function publicPolicy(): OutboundPolicy & { resolver: ReturnType<typeof testResolver> } {
  const resolver = testResolver({ ...HOSTILE_DNS, 'public-mirror.test': ['127.0.0.1'] });
  return { scope: 'public', lookup: resolver.lookup, publicHostsForTesting: new Set(['public-mirror.test']), resolver };
}

describe.each(PATHS)('SSRF matrix, probe engine: $path of a public mirror', ({ path, phase, kind }) => {
  it.each(hostileDestinations(internal.port))('refuses $name', async ({ name, url }) => {
    const mirror = await publicMirrorPointingAt(path, url);
    const policy = publicPolicy();
    if (name.startsWith('rebinding')) {
      // A check-then-connect design is fooled here: the first lookup says public.
      await expect(assertUrlAllowed(policy, new URL(url))).resolves.toBeUndefined();
    }
    internalHits = 0;
    const result = await probeMirror({ url: `http://public-mirror.test:${mirror.port}`, policy }, { kind, timeouts: { totalMs: 10_000 } });
    expect({ failureClass: result.failureClass, failedPhase: result.failedPhase }).toEqual({
      failureClass: 'blocked_address',
      failedPhase: phase,
    });
    expect(result.detail).toMatch(/outbound address policy/);
    expect(internalHits).toBe(0);
    await mirror.close();
  });
});

describe('outbound scopes of the probe engine', () => {
  it('lets a mirror on a private address (the lab) use a realm on another private address', async () => {
    const tokens = await start(fakeTokenServer('lab-token'));
    const mirror = await start(fakeRegistry({ image, auth: { realm: `${tokens.url}/token`, service: 'lab', token: 'lab-token' } }));
    const result = await probeMirror({ url: mirror.url });
    expect({ ok: result.ok, failureClass: result.failureClass }).toEqual({ ok: true, failureClass: null });
  });

  it.each([
    ['cloud metadata as decimal', 'http://2852039166'],
    ['unspecified address', `http://0.0.0.0:${internal.port}`],
    ['multicast', 'http://224.0.0.1'],
  ])('still refuses %s to a mirror on a private address', async (_name, destination) => {
    internalHits = 0;
    const mirror = await start(fakeRegistry({ image, auth: { realm: `${destination}/token`, service: 'lab', token: 't' } }));
    const result = await probeMirror({ url: mirror.url });
    expect({ failureClass: result.failureClass, failedPhase: result.failedPhase }).toEqual({
      failureClass: 'blocked_address',
      failedPhase: 'token',
    });
    expect(internalHits).toBe(0);
  });

  it('refuses a public-scope mirror that is itself on loopback before sending anything', async () => {
    let hits = 0;
    const mirror = await start((request, response) => {
      hits++;
      fakeRegistry({ image })(request, response);
    });
    const result = await probeMirror({ url: mirror.url, policy: { scope: 'public' } });
    expect({ failureClass: result.failureClass, failedPhase: result.failedPhase }).toEqual({
      failureClass: 'blocked_address',
      failedPhase: 'ping',
    });
    expect(hits).toBe(0);
  });

  it('probes a public mirror whose realm is public, and keeps phase timings', async () => {
    const tokens = await start(fakeTokenServer('public-token'));
    const mirror = await start(
      fakeRegistry({ image, auth: { realm: `http://tokens.test:${tokens.port}/token`, service: 's', token: 'public-token' } }),
    );
    const resolver = testResolver({ 'public-mirror.test': ['127.0.0.1'], 'tokens.test': ['127.0.0.1'] });
    const policy: OutboundPolicy = {
      scope: 'public',
      lookup: resolver.lookup,
      publicHostsForTesting: new Set(['public-mirror.test', 'tokens.test']),
    };
    const result = await probeMirror({ url: `http://public-mirror.test:${mirror.port}`, policy });
    expect({ ok: result.ok, failureClass: result.failureClass }).toEqual({ ok: true, failureClass: null });
    // The name went through the guarded lookup: DNS is timed, not zero as for a literal.
    expect(result.timings.dnsMs).toBeGreaterThan(0);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tokenMs).toBeGreaterThan(0);
    expect(resolver.calls.get('public-mirror.test')).toBe(1);
  });

  it('sends the realm token to the mirror only, never to the public CDN a blob redirects to', async () => {
    const log: RecordedRequest[] = [];
    const tokens = await start(fakeTokenServer('realm-token'));
    const cdn = await start(fakeCdn(image, log));
    const mirror = await start(
      fakeRegistry({
        image,
        log,
        blobRedirectBase: `http://cdn.test:${cdn.port}`,
        auth: { realm: `http://tokens.test:${tokens.port}/token`, service: 's', token: 'realm-token' },
      }),
    );
    const names = ['public-mirror.test', 'tokens.test', 'cdn.test'];
    const resolver = testResolver(Object.fromEntries(names.map((name) => [name, ['127.0.0.1']])));
    const policy: OutboundPolicy = { scope: 'public', lookup: resolver.lookup, publicHostsForTesting: new Set(names) };
    const result = await probeMirror({ url: `http://public-mirror.test:${mirror.port}`, policy }, { kind: 'deep' });
    expect({ ok: result.ok, failureClass: result.failureClass }).toEqual({ ok: true, failureClass: null });
    const cdnRequests = log.filter((entry) => entry.url.startsWith('/cdn/'));
    expect(cdnRequests).toHaveLength(1);
    expect(cdnRequests[0]?.authorization).toBeNull();
    expect(log.filter((entry) => entry.route === 'manifest').every((entry) => entry.authorization === 'Bearer realm-token')).toBe(true);
  });
});
