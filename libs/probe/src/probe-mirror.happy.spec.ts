import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { probeMirror } from './probe-mirror.js';
import { buildFakeImage } from './testing/fake-image.js';
import { fakeCdn, fakeRegistry, fakeTokenServer, json, type RecordedRequest } from './testing/fake-registry.js';
import { eventually, startServer, type TestServer } from './testing/test-servers.js';

const image = buildFakeImage([4096, 1024]);
const servers: TestServer[] = [];
const start = async (...args: Parameters<typeof startServer>) => {
  const server = await startServer(...args);
  servers.push(server);
  return server;
};
afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
});

describe('probeMirror happy paths', () => {
  let log: RecordedRequest[];
  afterEach(async () => {
    // Every socket the probe opened must be closed once it returns.
    for (const server of servers) expect(await eventually(() => server.openSockets() === 0)).toBe(true);
  });

  it('light probe without auth resolves the linux/amd64 entry', async () => {
    log = [];
    const mirror = await start(fakeRegistry({ image, log }));
    const result = await probeMirror({ url: mirror.url });
    expect(result).toMatchObject({
      kind: 'light',
      ok: true,
      failureClass: null,
      failedPhase: null,
      detail: null,
      httpStatus: 200,
      blob: null,
      manifest: {
        repository: 'library/alpine',
        reference: 'latest',
        digest: image.indexDigest,
        mediaType: image.indexType,
        platformDigest: image.manifestDigest,
      },
    });
    expect(result.timings.dnsMs).toBe(0);
    expect(result.timings.connectMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tlsMs).toBeNull();
    expect(result.timings.pingTtfbMs).toBeGreaterThanOrEqual(0);
    expect(result.timings.tokenMs).toBeNull();
    expect(result.timings.manifestMs).toBeGreaterThan(0);
    expect(result.timings.blobTtfbMs).toBeNull();
    const manifestRequest = log.find((entry) => entry.route === 'manifest');
    expect(manifestRequest?.accept?.split(/,\s*/)).toEqual([
      'application/vnd.docker.distribution.manifest.list.v2+json',
      'application/vnd.oci.image.index.v1+json',
      'application/vnd.docker.distribution.manifest.v2+json',
      'application/vnd.oci.image.manifest.v1+json',
    ]);
    expect(manifestRequest?.acceptEncoding).toBe('identity');
  });

  it('does the token dance when /v2/ challenges (realm on the same server)', async () => {
    log = [];
    let mirrorUrl = '';
    const mirror = await start((request, response) =>
      request.url?.startsWith('/token')
        ? fakeTokenServer('tok-same', log)(request, response)
        : fakeRegistry({ image, log, auth: { realm: `${mirrorUrl}/token`, service: 'mirror', token: 'tok-same' } })(request, response),
    );
    mirrorUrl = mirror.url;
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
    expect(result.timings.tokenMs).toBeGreaterThan(0);
    expect(log.find((entry) => entry.route === 'token')?.url).toContain('service=mirror');
    expect(log.filter((entry) => entry.route === 'manifest').map((entry) => entry.authorization)).toEqual(['Bearer tok-same']);
  });

  it('takes the token from a realm on another port and accepts access_token', async () => {
    log = [];
    const tokens = await start((request, response) => {
      log.push({ route: 'token', url: request.url ?? '', authorization: null, accept: null, acceptEncoding: null });
      json(response, 200, { access_token: 'tok-other' });
    });
    const mirror = await start(
      fakeRegistry({ image, log, auth: { realm: `${tokens.url}/auth?client=x`, service: 'registry.docker.io', token: 'tok-other' } }),
    );
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
    const tokenUrl = new URL(log.find((entry) => entry.route === 'token')?.url ?? '', tokens.url);
    expect(tokenUrl.pathname).toBe('/auth');
    expect(tokenUrl.searchParams.get('client')).toBe('x');
    expect(tokenUrl.searchParams.get('service')).toBe('registry.docker.io');
    expect(tokenUrl.searchParams.get('scope')).toBe('repository:library/alpine:pull');
  });

  it('answers a challenge that only comes on the manifest (/v2/ says 200)', async () => {
    const tokens = await start(fakeTokenServer('tok-late'));
    const mirror = await start(
      fakeRegistry({ image, challengeOnRepositoryOnly: true, auth: { realm: `${tokens.url}/token`, service: 's', token: 'tok-late' } }),
    );
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
    expect(result.timings.tokenMs).toBeGreaterThan(0);
  });

  it('deep probe follows the blob redirect to a CDN without leaking the token', async () => {
    log = [];
    const cdnLog: RecordedRequest[] = [];
    const cdn = await start(fakeCdn(image, cdnLog));
    const tokens = await start(fakeTokenServer('tok-deep'));
    const mirror = await start(
      fakeRegistry({ image, log, blobRedirectBase: cdn.url, auth: { realm: `${tokens.url}/token`, service: 's', token: 'tok-deep' } }),
    );
    const result = await probeMirror({ url: mirror.url }, { kind: 'deep' });
    expect(result).toMatchObject({ kind: 'deep', ok: true, failureClass: null, detail: null });
    const smallest = image.layers[1];
    expect(result.blob).toMatchObject({ digest: smallest?.digest, bytes: 1024, verified: true, redirects: 1 });
    expect(cdnLog).toHaveLength(1);
    expect(cdnLog[0]?.authorization).toBeNull();
    expect(log.find((entry) => entry.route === 'config')?.authorization).toBe('Bearer tok-deep');
    expect(result.timings.blobTtfbMs).toBeGreaterThan(0);
    expect(result.timings.blobTransferMs).not.toBeNull();
  });

  it('deep probe samples a layer over the byte cap: reports bytes, unverified, not a failure', async () => {
    const big = buildFakeImage([300_000, 200_000]);
    const mirror = await start(fakeRegistry({ image: big }));
    const result = await probeMirror({ url: mirror.url }, { kind: 'deep', caps: { blobBytes: 100_000 } });
    expect(result.ok).toBe(true);
    expect(result.blob).toMatchObject({ digest: big.layers[1]?.digest, bytes: 100_000, verified: false });
    expect(result.detail).toMatch(/over the 100000-byte cap: read 100000 bytes unverified/);
  });

  it('accepts a single OCI image manifest at the top level (no index)', async () => {
    const oci = Buffer.from(
      image.manifest
        .toString()
        .replace('"application/vnd.docker.distribution.manifest.v2+json"', '"application/vnd.oci.image.manifest.v1+json"'),
    );
    const mirror = await start(
      fakeRegistry({
        image,
        overrides: {
          manifest: (_request, response) => {
            response.writeHead(200, { 'content-type': 'application/vnd.oci.image.manifest.v1+json' });
            response.end(oci);
          },
        },
      }),
    );
    const result = await probeMirror({ url: mirror.url }, { kind: 'deep' });
    expect(result.ok).toBe(true);
    expect(result.manifest).toMatchObject({ mediaType: 'application/vnd.oci.image.manifest.v1+json', platformDigest: null });
    expect(result.blob?.verified).toBe(true);
  });

  it('reports, without failing, a digest other than the expected one', async () => {
    const mirror = await start(fakeRegistry({ image }));
    const other = `sha256:${'ab'.repeat(32)}`;
    const result = await probeMirror({ url: mirror.url }, { expectedDigest: other });
    expect(result.ok).toBe(true);
    expect(result.detail).toBe(`serves ${image.indexDigest.slice(0, 19)}, expected sha256:abababababab`);
    const same = await probeMirror({ url: mirror.url }, { expectedDigest: image.indexDigest });
    expect(same.detail).toBeNull();
  });

  it('shows an injected 200 ms delay before the /v2/ headers in pingTtfbMs', async () => {
    const registry = fakeRegistry({ image });
    const mirror = await start(async (request, response) => {
      if (request.url === '/v2/') await new Promise((resolve) => setTimeout(resolve, 200));
      await registry(request, response);
    });
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
    expect(result.timings.pingTtfbMs).toBeGreaterThanOrEqual(199);
    // Where the delay landed, not how fast the machine is: upper bounds flake on a loaded runner.
    expect(result.timings.manifestMs).toBeLessThan(result.timings.pingTtfbMs ?? 0);
    expect(result.durationMs).toBeGreaterThanOrEqual(200);
  });

  it('ends pingTtfbMs at the first byte of the answer, as curl does, not when the headers are complete', async () => {
    const registry = fakeRegistry({ image });
    const mirror = await start(async (request, response) => {
      if (request.url !== '/v2/') return registry(request, response);
      // The status line after 100 ms, the rest of the headers 300 ms later: a slow header drip.
      const socket = request.socket;
      await new Promise((resolve) => setTimeout(resolve, 100));
      socket.write('HTTP/1.1 200 OK\r\n');
      await new Promise((resolve) => setTimeout(resolve, 300));
      socket.end('Connection: close\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}');
    });
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
    expect(result.timings.pingTtfbMs).toBeGreaterThanOrEqual(99);
    // The drip landed after the first byte: lower bounds only, which a loaded runner cannot break.
    expect(result.durationMs - (result.timings.pingTtfbMs ?? 0)).toBeGreaterThanOrEqual(300);
  });

  it('times a /v2/ redirected on the same connection from the answer after the redirect', async () => {
    const registry = fakeRegistry({ image });
    const mirror = await start(async (request, response) => {
      if (request.url === '/v2/') {
        response.writeHead(307, { location: '/v2/?moved=1', 'content-length': '0' });
        response.end();
        return;
      }
      if (request.url === '/v2/?moved=1') {
        await new Promise((resolve) => setTimeout(resolve, 200));
        request.url = '/v2/';
      }
      await registry(request, response);
    });
    const result = await probeMirror({ url: mirror.url });
    expect(result.ok).toBe(true);
    // The connection's first byte was the redirect's: the answer's own headers end the time.
    expect(result.timings.pingTtfbMs).toBeGreaterThanOrEqual(199);
  });

  it('resolves a host name: DNS time is measured, not zero-filled', async () => {
    const mirror = await start(fakeRegistry({ image }));
    const result = await probeMirror({ url: mirror.url.replace('127.0.0.1', 'localhost') });
    expect(result.ok).toBe(true);
    expect(result.timings.dnsMs).toBeGreaterThan(0);
  });
});
