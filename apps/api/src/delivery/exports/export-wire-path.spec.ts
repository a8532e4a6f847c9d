import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExportWirePath, type WireDocuments } from './export-wire-path.js';
import type { ServedDocument } from './served-document.js';

const URL_PATH = '/api/recommended-daemon.json';

/** A real HTTP server whose "ordinary stack" only counts what the wire path left to it. */
describe('ExportWirePath', () => {
  let server: Server;
  let origin: string;
  let generation = 1;
  let body = '{"registry-mirrors": []}\n';
  let servedCalls = 0;
  let admit = true;
  let fellThrough = 0;

  const documents: WireDocuments = {
    generation: () => generation,
    served(url) {
      servedCalls += 1;
      if (url !== URL_PATH) return null;
      const document: ServedDocument = {
        headers: [
          ['X-Mirrorwatch-Recommended-Count', '2'],
          ['Content-Type', 'application/json; charset=utf-8'],
          ['ETag', `"g${generation}"`],
        ],
        etag: `"g${generation}"`,
        body,
      };
      return document;
    },
  };

  beforeAll(async () => {
    const wire = new ExportWirePath(documents, () => admit);
    server = createServer((req, res) => {
      if (wire.handle(req, res)) return;
      fellThrough += 1;
      res.end('ordinary');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    fellThrough = 0;
    servedCalls = 0;
    admit = true;
  });

  it('serves the prepared document with its headers, a request id and the length, without the ordinary stack', async () => {
    const response = await fetch(`${origin}${URL_PATH}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(body);
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(response.headers.get('etag')).toBe(`"g${generation}"`);
    expect(response.headers.get('x-mirrorwatch-recommended-count')).toBe('2');
    expect(fellThrough).toBe(0);
  });

  it('keeps a plain incoming request id', async () => {
    const response = await fetch(`${origin}${URL_PATH}`, { headers: { 'X-Request-Id': 'edge-42' } });
    expect(response.headers.get('x-request-id')).toBe('edge-42');
  });

  it('answers a matching If-None-Match with a 304 that keeps the headers but has no length', async () => {
    const response = await fetch(`${origin}${URL_PATH}`, { headers: { 'If-None-Match': `W/"x", "g${generation}"` } });
    expect(response.status).toBe(304);
    expect(response.headers.get('etag')).toBe(`"g${generation}"`);
    expect(response.headers.get('content-length')).toBeNull();
    expect(fellThrough).toBe(0);
  });

  it.each([
    ['another method', { method: 'HEAD' }, URL_PATH],
    ['If-Modified-Since alone (Express decides freshness)', { headers: { 'If-Modified-Since': new Date().toUTCString() } }, URL_PATH],
    ['a URL without a document', {}, '/api/recommended-daemon.json?count=03'],
  ])('leaves %s to the ordinary stack', async (_label, init: RequestInit, target) => {
    await (await fetch(`${origin}${target}`, init)).arrayBuffer();
    expect(fellThrough).toBe(1);
  });

  it('leaves a client over its allowance to the ordinary stack (which answers the 429)', async () => {
    admit = false;
    expect(await (await fetch(`${origin}${URL_PATH}`)).text()).toBe('ordinary');
    expect(fellThrough).toBe(1);
  });

  it('prepares each URL once per generation and drops the old bytes when the ranking is rebuilt', async () => {
    generation += 1;
    body = '{"registry-mirrors": ["https://a.example"]}\n';
    const first = await fetch(`${origin}${URL_PATH}`);
    expect(await first.text()).toBe(body);
    expect(first.headers.get('etag')).toBe(`"g${generation}"`);
    await (await fetch(`${origin}${URL_PATH}`)).arrayBuffer();
    expect(servedCalls).toBe(1);
  });
});
