import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ExportWirePath, type WireDocuments } from './export-wire-path.js';
import { plainExportUrl } from './export-wire-url.js';
import type { ServedDocument } from './served-document.js';

const URL_PATH = '/api/recommended-daemon.json';

/** A real HTTP server whose "ordinary stack" only counts what the wire path left to it. */
describe('ExportWirePath', () => {
  let server: Server;
  let origin: string;
  let generation = 1;
  let version = {};
  let body = '{"registry-mirrors": []}\n';
  let servedCalls = 0;
  let admit = true;
  let fellThrough = 0;

  const documents: WireDocuments = (req) => {
    const url = plainExportUrl(req.url ?? '', (path) => (path === URL_PATH ? ['count'] : undefined));
    if (url === null) return null;
    return {
      key: req.url ?? '',
      version,
      served() {
        servedCalls += 1;
        // A parameter the route refuses: Nest answers it.
        if (url.params.count === '99') return null;
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

  it('serves a plainly spelled parameter the route reads', async () => {
    const response = await fetch(`${origin}${URL_PATH}?count=2`);
    expect(await response.text()).toBe(body);
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
    ['a URL not in its plain form', {}, '/api/recommended-daemon.json?count=03'],
    ['a repeated parameter', {}, '/api/recommended-daemon.json?count=2&count=3'],
    ['an unknown parameter', {}, '/api/recommended-daemon.json?count=2&x=1'],
    ['a percent-encoded value', {}, '/api/recommended-daemon.json?count=%32'],
    ['a parameter the route refuses', {}, '/api/recommended-daemon.json?count=99'],
    ['another path', {}, '/api/recommended-daemon.json/'],
  ])('leaves %s to the ordinary stack', async (_label, init: RequestInit, target) => {
    await (await fetch(`${origin}${target}`, init)).arrayBuffer();
    expect(fellThrough).toBe(1);
  });

  it('leaves a client over its allowance to the ordinary stack (which answers the 429)', async () => {
    admit = false;
    expect(await (await fetch(`${origin}${URL_PATH}`)).text()).toBe('ordinary');
    expect(fellThrough).toBe(1);
  });

  it('prepares each URL once per version and drops the old bytes when the ranking is rebuilt', async () => {
    generation += 1;
    version = {};
    body = '{"registry-mirrors": ["https://a.example"]}\n';
    const first = await fetch(`${origin}${URL_PATH}`);
    expect(await first.text()).toBe(body);
    expect(first.headers.get('etag')).toBe(`"g${generation}"`);
    await (await fetch(`${origin}${URL_PATH}`)).arrayBuffer();
    expect(servedCalls).toBe(1);
  });
});

describe('plainExportUrl', () => {
  const allowed = (path: string) => (path === '/x' ? ['count', 'vantage', 'registry'] : undefined);

  it.each([
    ['/x', { path: '/x', params: {} }],
    ['/x?count=3', { path: '/x', params: { count: '3' } }],
    ['/x?vantage=cn-mobile&count=10', { path: '/x', params: { vantage: 'cn-mobile', count: '10' } }],
    ['/x?registry=registry.k8s.io', { path: '/x', params: { registry: 'registry.k8s.io' } }],
    ['/x?registry=localhost:5000', { path: '/x', params: { registry: 'localhost:5000' } }],
  ])('reads %s', (url, expected) => {
    expect(plainExportUrl(url, allowed)).toEqual(expected);
  });

  it.each([
    '/y',
    '/x?',
    '/x?count',
    '/x?count=',
    '/x?count=03',
    '/x?count=3&count=3',
    '/x?count=3&',
    '/x?other=1',
    '/x?count=%33',
    '/x?vantage=Upper',
    '/x?vantage=a+b',
    '/x?count[]=1',
  ])('leaves %s to Express and Nest', (url) => {
    expect(plainExportUrl(url, allowed)).toBeNull();
  });
});
