import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { percentile, timedGet } from './measure.js';

/**
 * The wire-speed reference for one endpoint: node:http sending the same bytes
 * from memory, measured with the same client, sequentially, in the same run.
 * What the product spends above it is its own work.
 */
export async function staticReference(body: Buffer, samples: number): Promise<{ p50: number; p95: number }> {
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.byteLength });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  try {
    await timedGet(url);
    const times: number[] = [];
    for (let i = 0; i < samples; i++) times.push((await timedGet(url)).ms);
    return { p50: percentile(times, 50), p95: percentile(times, 95) };
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
