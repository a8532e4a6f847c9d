import type { ServerResponse } from 'node:http';
import { buildFakeImage, type FakeImage } from '../../libs/probe/src/testing/fake-image.js';
import { fakeRegistry } from '../../libs/probe/src/testing/fake-registry.js';
import { startServer, type TestServer } from '../../libs/probe/src/testing/test-servers.js';

export interface BenchServerOptions {
  /** Delay before answering `GET /v2/` (the "processing" time to measure). */
  pingDelayMs: number;
  /** Layer bytes per second; the blob is paced on an absolute schedule so the rate is exact. */
  blobBytesPerSec: number;
  tls?: { key: string; cert: string };
}

export interface BenchServer {
  server: TestServer;
  image: FakeImage;
  layerUrl: string;
}

const CHUNK = 16 * 1024;

/** A mirror-like registry with a slow /v2/ and a rate-limited layer. */
export async function startBenchServer(options: BenchServerOptions): Promise<BenchServer> {
  // Smallest layer 2 MiB (the one a deep probe downloads), the other larger.
  const image = buildFakeImage([4 * 1024 * 1024, 2 * 1024 * 1024]);
  const layer = image.layers[1]!;
  const registry = fakeRegistry({
    image,
    overrides: {
      ping: (_request, response) => {
        setTimeout(() => {
          response.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
          response.end('{}');
        }, options.pingDelayMs);
      },
      layer: (request, response) => paced(response, layer.data, options.blobBytesPerSec, () => request.socket.destroyed),
    },
  });
  const server = await startServer(registry, options.tls);
  return { server, image, layerUrl: `${server.url}/v2/library/alpine/blobs/${layer.digest}` };
}

function paced(response: ServerResponse, data: Buffer, bytesPerSec: number, gone: () => boolean): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': data.length });
  const started = performance.now();
  let offset = 0;
  const next = () => {
    if (gone()) return;
    const end = Math.min(offset + CHUNK, data.length);
    response.write(data.subarray(offset, end));
    offset = end;
    if (offset >= data.length) return void response.end();
    const due = started + (offset / bytesPerSec) * 1000;
    setTimeout(next, Math.max(0, due - performance.now()));
  };
  next();
}
