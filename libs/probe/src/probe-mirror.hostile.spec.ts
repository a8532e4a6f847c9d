import { gzipSync } from 'node:zlib';
import type { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { probeMirror } from './probe-mirror.js';
import type { ProbeOptionsInput } from './probe-options.js';
import { buildFakeImage, sha256OfBuffer } from './testing/fake-image.js';
import { fakeRegistry, sendBlob, type RouteName } from './testing/fake-registry.js';
import { expectFailure, sleep, status, useServers, type ExpectedFailure } from './testing/harness.js';
import type { Handler } from './testing/test-servers.js';

const image = buildFakeImage([4096, 2048]);
const smallestLayer = image.layers[1]!;
const servers = useServers();
const FAST: ProbeOptionsInput = {
  timeouts: { connectMs: 500, headersMs: 400, bodyMs: 400, tokenMs: 1_000, totalMs: 5_000 },
};

const manifestWith =
  (headers: Record<string, string | number>, body: string | Buffer): Handler =>
  (_request, response) => {
    response.writeHead(200, headers);
    response.end(body);
  };
const indexType = image.indexType;
const indexJson = JSON.parse(image.index.toString()) as { manifests: unknown[] };

/** Writes `unit` every `everyMs`, forever (until the client goes away). */
const drip =
  (unit: string | Buffer, everyMs: number, headers: Record<string, string | number>): Handler =>
  (request, response) => {
    response.writeHead(200, headers);
    const timer = setInterval(() => response.write(unit), everyMs);
    request.socket.on('close', () => clearInterval(timer));
  };

interface HostileCase {
  name: string;
  route: RouteName;
  handler: Handler;
  kind?: 'light' | 'deep';
  options?: ProbeOptionsInput;
  expected: ExpectedFailure;
  /** Upper bound on durationMs: nothing may stall past its deadline. */
  withinMs?: number;
  blobBytes?: number;
}

const cases: HostileCase[] = [
  {
    name: 'HTML captive portal with 200',
    route: 'manifest',
    handler: manifestWith({ 'content-type': 'text/html' }, '<!doctype html><title>Login</title>'),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /HTML/ },
  },
  {
    name: 'HTML served as JSON',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType }, '<html>portal</html>'),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /HTML/ },
  },
  {
    name: 'garbage body',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType }, '\u0000\u0001garbage'),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /not valid JSON/ },
  },
  {
    name: 'truncated JSON',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType }, image.index.subarray(0, 50)),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /not valid JSON/ },
  },
  {
    name: 'JSON array',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType }, '[]'),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest' },
  },
  {
    name: 'wrong content type and no mediaType',
    route: 'manifest',
    handler: manifestWith({ 'content-type': 'text/plain' }, JSON.stringify({ schemaVersion: 2, manifests: [] })),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /unexpected Content-Type "text\/plain"/ },
  },
  {
    name: 'content type disagrees with mediaType',
    route: 'manifest',
    handler: manifestWith({ 'content-type': 'application/vnd.oci.image.manifest.v1+json' }, image.index),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /disagrees/ },
  },
  {
    name: 'schema 1 (mirror ignored Accept)',
    route: 'manifest',
    handler: manifestWith(
      { 'content-type': 'application/vnd.docker.distribution.manifest.v1+prettyjws' },
      JSON.stringify({ schemaVersion: 1, fsLayers: [] }),
    ),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /schemaVersion 1/ },
  },
  {
    name: 'index without manifests array',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType }, JSON.stringify({ schemaVersion: 2, mediaType: indexType })),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /manifests array/ },
  },
  {
    name: 'manifest list without linux/amd64',
    route: 'manifest',
    handler: manifestWith(
      { 'content-type': indexType },
      JSON.stringify({ ...indexJson, manifests: indexJson.manifests.filter((_, i) => i !== 1) }),
    ),
    expected: {
      failureClass: 'bad_response',
      failedPhase: 'manifest',
      detail: /no linux\/amd64 entry \(offers: linux\/arm64, unknown\/unknown\)/,
    },
  },
  {
    name: 'Docker-Content-Digest differs from the body',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType, 'docker-content-digest': sha256OfBuffer(Buffer.from('other')) }, image.index),
    expected: { failureClass: 'integrity', failedPhase: 'manifest' },
  },
  {
    name: 'unrequested gzip Content-Encoding (bomb)',
    route: 'manifest',
    handler: manifestWith({ 'content-type': indexType, 'content-encoding': 'gzip' }, gzipSync(Buffer.alloc(10_000_000))),
    expected: { failureClass: 'bad_response', failedPhase: 'manifest', detail: /Content-Encoding "gzip"/ },
  },
  {
    name: 'declared Content-Length of 10 GiB',
    route: 'manifest',
    handler: (_q, r) => {
      r.writeHead(200, { 'content-type': indexType, 'content-length': String(10 * 1024 ** 3) });
      r.write('{');
    },
    expected: { failureClass: 'too_large', failedPhase: 'manifest', detail: /declares 10737418240 bytes/ },
    withinMs: 300,
  },
  {
    name: 'endless chunked body',
    route: 'manifest',
    handler: drip(Buffer.alloc(16 * 1024, 32), 1, { 'content-type': indexType }),
    options: { caps: { manifestBytes: 256 * 1024 } },
    expected: { failureClass: 'too_large', failedPhase: 'manifest', detail: /262144-byte cap/ },
    withinMs: 1_000,
  },
  {
    name: '1 byte per 50 ms drip (overall body deadline)',
    route: 'manifest',
    handler: drip('{', 50, { 'content-type': indexType, 'content-length': 100_000 }),
    expected: { failureClass: 'timeout', failedPhase: 'manifest', detail: /body not complete within 400 ms/ },
    withinMs: 1_000,
  },
  {
    name: 'headers never come',
    route: 'manifest',
    handler: async (_q, r) => {
      await sleep(3_000);
      r.end();
    },
    expected: { failureClass: 'timeout', failedPhase: 'manifest' },
    withinMs: 1_500,
  },
  {
    name: 'connection reset on request',
    route: 'manifest',
    handler: (request) => request.socket.destroy(),
    expected: { failureClass: 'connection_reset', failedPhase: 'manifest' },
  },
  {
    name: 'body shorter than Content-Length, then close',
    route: 'manifest',
    handler: (request, r) => {
      r.writeHead(200, { 'content-type': indexType, 'content-length': 5000 });
      r.write(image.index.subarray(0, 100), () => request.socket.destroy());
    },
    expected: { failureClass: 'connection_reset', failedPhase: 'manifest' },
  },
  {
    name: 'platform manifest not matching its digest',
    route: 'platform-manifest',
    kind: 'deep',
    handler: manifestWith({ 'content-type': image.manifestType }, image.manifest.toString().replace('"layers"', ' "layers"')),
    expected: { failureClass: 'integrity', failedPhase: 'manifest' },
  },
  {
    name: 'corrupt config blob',
    route: 'config',
    kind: 'deep',
    handler: (_q, r) => sendBlob(r, Buffer.from(image.config.data.toString().replace('amd64', 'arm64'))),
    expected: { failureClass: 'integrity', failedPhase: 'config' },
  },
  {
    name: 'corrupt layer',
    route: 'layer',
    kind: 'deep',
    handler: (_q, r) => sendBlob(r, Buffer.alloc(2048, 1)),
    expected: { failureClass: 'integrity', failedPhase: 'blob' },
    blobBytes: 2048,
  },
  {
    name: 'layer longer than its descriptor (chunked)',
    route: 'layer',
    kind: 'deep',
    handler: (_q, r) => {
      r.writeHead(200);
      r.end(Buffer.concat([smallestLayer.data, Buffer.alloc(100)]));
    },
    expected: { failureClass: 'too_large', failedPhase: 'blob', detail: /2048 bytes its descriptor declares/ },
  },
  {
    name: 'layer Content-Length above its descriptor',
    route: 'layer',
    kind: 'deep',
    handler: (_q, r) => {
      r.writeHead(200, { 'content-length': 9_999 });
      r.write(smallestLayer.data);
    },
    expected: { failureClass: 'too_large', failedPhase: 'blob' },
  },
  {
    name: 'layer stops mid-way',
    route: 'layer',
    kind: 'deep',
    handler: (_q, r) => {
      r.writeHead(200, { 'content-length': 2048 });
      r.write(smallestLayer.data.subarray(0, 1000));
    },
    expected: { failureClass: 'timeout', failedPhase: 'blob' },
    blobBytes: 1000,
    withinMs: 1_500,
  },
  {
    name: 'redirect loop',
    route: 'layer',
    kind: 'deep',
    handler: (q, r) => {
      r.writeHead(307, { location: q.url?.includes('?hop') ? q.url.replace('?hop', '') : `${q.url}?hop` });
      r.end();
    },
    expected: { failureClass: 'redirect_loop', failedPhase: 'blob', detail: /loop/ },
  },
  {
    name: 'endless chain of redirects',
    route: 'layer',
    kind: 'deep',
    handler: (q, r) => {
      r.writeHead(302, { location: `${q.url}x` });
      r.end();
    },
    expected: { failureClass: 'redirect_loop', failedPhase: 'blob', detail: /more than 5 redirects/ },
  },
  {
    name: 'redirect without Location',
    route: 'layer',
    kind: 'deep',
    handler: status(307),
    expected: { failureClass: 'bad_response', failedPhase: 'blob' },
  },
];

describe('hostile mirrors are classified with bounded memory and time', () => {
  it.each(cases)('$name', async ({ route, handler, kind, options, expected, withinMs, blobBytes }) => {
    const mirror = await servers.http(fakeRegistry({ image, overrides: { [route]: handler } }));
    const result = await probeMirror({ url: mirror.url }, { ...FAST, ...options, kind: kind ?? 'light' });
    expectFailure(result, expected);
    if (withinMs !== undefined) expect(result.durationMs).toBeLessThan(withinMs);
    if (blobBytes !== undefined) expect(result.blob?.bytes).toBe(blobBytes);
    if (expected.failedPhase === 'blob') expect(result.blob?.verified ?? false).toBe(false);
  });

  it('a blob with Content-Encoding: gzip is hashed raw, never inflated', async () => {
    const mirror = await servers.http(
      fakeRegistry({
        image,
        overrides: {
          layer: (_q, r) => {
            r.writeHead(200, { 'content-encoding': 'gzip', 'content-length': smallestLayer.data.length });
            r.end(smallestLayer.data);
          },
        },
      }),
    );
    const result = await probeMirror({ url: mirror.url }, { ...FAST, kind: 'deep' });
    expect(result.ok).toBe(true);
    expect(result.blob?.verified).toBe(true);
  });
});

describe('hostile HTTP framing (raw TCP)', () => {
  const rawCases: { name: string; onConnection: (socket: Socket) => void; expected: ExpectedFailure }[] = [
    {
      name: 'endless headers hit the header size cap',
      onConnection: (socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => socket.write(`X-Filler: ${'a'.repeat(1000)}\r\n`), 1);
        socket.on('close', () => clearInterval(timer));
      },
      expected: { failureClass: 'too_large', failedPhase: 'ping', detail: /headers exceed/ },
    },
    {
      name: 'header drip is bounded by the overall headers deadline',
      onConnection: (socket) => {
        socket.write('HTTP/1.1 200 OK\r\n');
        const timer = setInterval(() => socket.write('X-Slow: 1\r\n'), 50);
        socket.on('close', () => clearInterval(timer));
      },
      expected: { failureClass: 'timeout', failedPhase: 'ping', detail: /headers within 400 ms/ },
    },
    {
      name: 'not HTTP at all',
      onConnection: (socket) => socket.write('SSH-2.0-OpenSSH_9.6\r\n\r\n'),
      expected: { failureClass: 'bad_response', failedPhase: 'ping', detail: /malformed HTTP/ },
    },
  ];
  it.each(rawCases)('$name', async ({ onConnection, expected }) => {
    const server = await servers.raw((socket) => socket.once('data', () => onConnection(socket)));
    const result = await probeMirror({ url: server.url }, { ...FAST, caps: { headerBytes: 16 * 1024 } });
    expectFailure(result, expected);
    expect(result.durationMs).toBeLessThan(1_500);
  });
});

describe('network failures and deadlines', () => {
  it('connection refused', async () => {
    const closed = await servers.http(status(200));
    await closed.close();
    expectFailure(await probeMirror({ url: closed.url }, FAST), { failureClass: 'connect_refused', failedPhase: 'ping' });
  });

  it('a name that does not resolve', async () => {
    expectFailure(await probeMirror({ url: 'https://mirror.nonexistent.invalid' }, FAST), { failureClass: 'dns', failedPhase: 'ping' });
  });

  it('a TLS handshake that never completes is a connect timeout', async () => {
    // The server reads (and ignores) the ClientHello, so it notices when the probe hangs up.
    const silent = await servers.raw((socket) => socket.resume());
    const result = await probeMirror({ url: silent.url.replace('http:', 'https:') }, FAST);
    expectFailure(result, { failureClass: 'connect_timeout', failedPhase: 'ping' });
    expect(result.durationMs).toBeLessThan(1_500);
  });

  it('the total deadline wins over longer phase timeouts', async () => {
    const mirror = await servers.http(async (_q, r) => {
      await sleep(3_000);
      r.end();
    });
    const result = await probeMirror({ url: mirror.url }, { timeouts: { totalMs: 300 } });
    expectFailure(result, { failureClass: 'timeout', failedPhase: 'ping', detail: /exceeded its 300 ms budget/ });
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it('a caller abort ends the probe as data, not an exception', async () => {
    const mirror = await servers.http(async (_q, r) => {
      await sleep(3_000);
      r.end();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await probeMirror({ url: mirror.url }, { signal: controller.signal });
    expectFailure(result, { failureClass: 'timeout', failedPhase: 'ping', detail: /aborted by caller/ });
    expect(result.durationMs).toBeLessThan(1_000);
  });

  it.each(['not a url', 'ftp://mirror.example.com'])('an unusable URL (%s) is internal, not a throw', async (url) => {
    expectFailure(await probeMirror({ url }), { failureClass: 'internal', failedPhase: 'ping' });
  });
});
