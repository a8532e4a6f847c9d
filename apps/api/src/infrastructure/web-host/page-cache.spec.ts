import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { acceptsGzip, cookieValue, PageCache, type PageRender, type RenderHeaders } from './page-cache.js';
import { negotiateLocale } from './page-cache-key.js';

/**
 * The page cache in front of a real HTTP server. The render stands in for
 * Next (it echoes what it was given, so a test sees exactly which headers a
 * render received); the product-level cases, with Next and real probes, are
 * in apps/web-e2e/dashboard.e2e.ts.
 */
describe('PageCache', () => {
  let server: Server;
  let origin: string;
  let generation = 'g1';
  let clock = 0;
  let renders: Array<{ url: string; headers: RenderHeaders }> = [];
  let nextAnswer: Partial<PageRender> = {};
  let triggers: string[] = [];
  /** Calls of onWanted: a visit left a plain page wanted at the next generation. */
  let wishes = 0;
  let cache: PageCache;

  const render = async (url: string, headers: RenderHeaders): Promise<PageRender> => {
    renders.push({ url, headers });
    const body = Buffer.from(`<html>${url} ${JSON.stringify(headers)} #${renders.length}</html>`);
    return {
      status: 200,
      headers: [
        ['Content-Type', 'text/html; charset=utf-8'],
        ['Vary', 'rsc'],
      ],
      body,
      ...nextAnswer,
    };
  };

  const get = (path: string, headers: Record<string, string> = {}) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
      const req = request(`${origin}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      cache.serve(req, res, path, 'request-id-1').then((served) => {
        if (!served) res.writeHead(299).end('uncached');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  beforeEach(() => {
    generation = 'g1';
    clock = 1_000_000;
    renders = [];
    triggers = [];
    wishes = 0;
    nextAnswer = {};
    cache = new PageCache({
      paths: new Map([
        ['/', ['sort']],
        ['/status', []],
      ]),
      generation: () => generation,
      render,
      onRender: (trigger) => triggers.push(trigger),
      onWanted: () => (wishes += 1),
      localeCookie: 'mw-lang',
      locales: ['en', 'zh-CN'],
      now: () => clock,
      freshMs: 5_000,
      staleMs: 30_000,
      maxEntries: 8,
    });
  });

  it('renders once per generation, then serves the same bytes with an ETag and answers If-None-Match with 304', async () => {
    const first = await get('/status');
    const second = await get('/status');
    expect(renders).toHaveLength(1);
    expect(second.body.equals(first.body)).toBe(true);
    expect(first.headers['etag']).toMatch(/^"[\w-]{27}"$/);
    expect(second.headers['etag']).toBe(first.headers['etag']);
    expect(first.headers['cache-control']).toBe('private, no-cache');
    expect(first.headers['x-request-id']).toBe('request-id-1');
    const revalidated = await get('/status', { 'if-none-match': first.headers['etag'] as string });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
  });

  it('a new generation (a stored result) is rendered in the background while the kept page answers, then served with a new ETag', async () => {
    const before = await get('/status');
    generation = 'g2';
    const during = await get('/status', { 'if-none-match': before.headers['etag'] as string });
    expect(during.status).toBe(304);
    await vi.waitFor(() => expect(cache.hasCurrentPlain('/status', { host: new URL(origin).host }, 'en')).toBe(true));
    expect(renders).toHaveLength(2);
    const after = await get('/status', { 'if-none-match': before.headers['etag'] as string });
    expect(after.status).toBe(200);
    expect(after.headers['etag']).not.toBe(before.headers['etag']);
  });

  it('a kept page older than staleMs is not served for a new generation: the request waits for the render', async () => {
    await get('/status');
    generation = 'g2';
    clock += 31_000;
    const after = await get('/status');
    expect(after.status).toBe(200);
    expect(renders).toHaveLength(2);
    expect(after.body.toString()).toContain('#2');
  });

  it('keeps locales, origins and queries apart, and forwards only the negotiated locale cookie and the keyed headers', async () => {
    const zh = await get('/', { cookie: 'session=admin-secret; mw-lang=zh-CN; other=1', 'accept-language': 'en', authorization: '' });
    expect(zh.status).toBe(299); // Authorization present: never cached, goes to Next
    await get('/', { cookie: 'session=admin-secret; mw-lang=zh-CN', 'accept-language': 'en' });
    await get('/', { cookie: 'mw-lang=en', 'accept-language': 'en' });
    await get('/', { cookie: 'mw-lang=en', 'accept-language': 'en', host: 'mirrors.example' });
    await get('/?sort=name', { cookie: 'mw-lang=en', 'accept-language': 'en' });
    expect(renders).toHaveLength(4);
    expect(renders[0]?.headers).toEqual({ host: expect.any(String), cookie: 'mw-lang=zh-CN' });
    expect(JSON.stringify(renders)).not.toContain('admin-secret');
    // A visitor whose other cookies differ gets the page rendered for the same locale: nothing else reached the render.
    await get('/', { cookie: 'session=someone-else; mw-lang=zh-CN', 'accept-language': 'en' });
    // Keyed on the locale the dashboard negotiates, not on the header's spelling: a Chinese browser without the cookie gets the zh-CN page.
    await get('/', { 'accept-language': 'zh-TW,zh;q=0.9,en;q=0.8' });
    // No cookie and no Chinese preference: the default locale's page, rendered with its cookie.
    await get('/', { 'accept-language': 'fr-FR, en;q=0.5' });
    expect(renders).toHaveLength(4);
  });

  it('drops the query parameters a page does not read from the key and the render', async () => {
    await get('/?sort=name&utm_source=x');
    await get('/?utm_source=y&sort=name');
    await get('/status?sort=name&fbclid=1');
    await get('/status');
    expect(renders.map((entry) => entry.url)).toEqual(['/?sort=name', '/status']);
  });

  it('a flood of query strings neither grows the cache past its bound nor evicts the plain pages', async () => {
    await get('/');
    await get('/status');
    for (let query = 0; query < 20; query++) await get(`/?utm=${query}`);
    expect(renders).toHaveLength(2);
    for (let query = 0; query < 20; query++) await get(`/?sort=r${query}`);
    expect(renders).toHaveLength(22);
    expect(cache.size()).toBe(8 + 2);
    await get('/');
    await get('/status');
    expect(renders).toHaveLength(22);
  });

  it('pre-renders for a new generation only the plain pages asked for since their last render, the default locale first', async () => {
    const example = { host: 'mirrors.example' };
    await get('/?sort=name', example);
    // Only a page with a query was asked for: nothing to pre-render.
    expect(cache.hasWanted()).toBe(false);
    expect(wishes).toBe(0);
    expect(await cache.prerender()).toBe(0);
    await get('/status', { ...example, 'accept-language': 'zh-CN' });
    await get('/', example);
    expect(renders).toHaveLength(3);
    expect(wishes).toBe(2);
    expect(cache.hasWanted()).toBe(true);
    // Both are of this generation already.
    expect(await cache.prerender()).toBe(0);
    generation = 'g2';
    expect(await cache.prerender()).toBe(2);
    expect(renders.slice(3).map((entry) => [entry.url, entry.headers['cookie']])).toEqual([
      ['/', 'mw-lang=en'],
      ['/status', 'mw-lang=zh-CN'],
    ]);
    expect(cache.hasCurrentPlain('/status', example, 'zh-CN')).toBe(true);
    expect(cache.hasCurrentPlain('/status', example, 'en')).toBe(false);
    // The visitor after the cycle gets the page already rendered.
    const page = await get('/status', { ...example, 'accept-language': 'zh-CN' });
    expect(page.body.toString()).toContain('#5');
    expect(renders).toHaveLength(5);
    generation = 'g3';
    // The zh-CN status page was asked for again since its render; the English home page was not.
    expect(await cache.prerender()).toBe(1);
    expect(renders[5]?.url).toBe('/status');
    generation = 'g4';
    // Nobody has asked for anything since: no work, however many generations come.
    expect(cache.hasWanted()).toBe(false);
    expect(await cache.prerender()).toBe(0);
    generation = 'g5';
    expect(await cache.prerender()).toBe(0);
    expect(renders).toHaveLength(6);
    expect(triggers).toEqual(['visitor', 'visitor', 'visitor', 'generation', 'generation', 'generation']);
  });

  it('the pages pre-rendered per generation are bounded, whatever Host headers visitors make up', async () => {
    for (let index = 0; index < 20; index++) await get('/status', { host: `made-up-${index}.example` });
    expect(renders).toHaveLength(20);
    generation = 'g2';
    expect(await cache.prerender()).toBe(8);
  });

  it('a pre-render pass ends when the generation moves on, and the next pass renders what is still asked for', async () => {
    await get('/');
    await get('/status');
    const self = { host: new URL(origin).host };
    generation = 'g2';
    const prerendering = cache.prerender();
    generation = 'g3';
    expect(await prerendering).toBe(1);
    expect(renders).toHaveLength(3);
    expect(renders[2]?.url).toBe('/');
    expect(await cache.prerender()).toBe(1);
    expect(renders[3]?.url).toBe('/status');
    expect(cache.hasCurrentPlain('/status', self, 'en')).toBe(true);
  });

  it('keeps a client navigation (RSC) apart from the HTML, with its router headers forwarded', async () => {
    const html = await get('/status');
    const rsc = await get('/status?_rsc=abc', { rsc: '1', 'next-router-state-tree': '%5B%22%22%5D' });
    expect(rsc.headers['etag']).not.toBe(html.headers['etag']);
    expect(renders[1]?.headers).toMatchObject({ rsc: '1', 'next-router-state-tree': '%5B%22%22%5D' });
    await get('/status?_rsc=abc', { rsc: '1', 'next-router-state-tree': '%5B%22%22%5D' });
    expect(renders).toHaveLength(2);
  });

  it('never keeps other paths, server actions, or answers that are not a plain 200', async () => {
    expect((await get('/mirrors/x')).status).toBe(299);
    expect((await get('/status', { 'next-action': 'abc' })).status).toBe(299);
    nextAnswer = { status: 500 };
    expect((await get('/status')).status).toBe(500);
    nextAnswer = { headers: [['Set-Cookie', 'a=b']] };
    expect((await get('/status')).status).toBe(200);
    nextAnswer = {};
    await get('/status');
    expect(renders).toHaveLength(3);
    await get('/status');
    expect(renders).toHaveLength(3);
  });

  it('serves an entry past its fresh age while a background render replaces it, and renders in line past the stale age', async () => {
    const first = await get('/status');
    clock += 10_000;
    const stale = await get('/status');
    expect(stale.body.equals(first.body)).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(renders).toHaveLength(2);
    // The new render is kept once its gzip (on libuv's pool) is done; until then the stale entry is served, no third render.
    await vi.waitFor(async () => expect((await get('/status')).body.toString()).toContain('#2'));
    expect(renders).toHaveLength(2);
    clock += 60_000;
    const late = await get('/status');
    expect(late.body.toString()).toContain('#3');
  });

  it('gzips for clients that accept it and says so in Vary', async () => {
    const zipped = await get('/status', { 'accept-encoding': 'gzip, br' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers['vary']).toBe('rsc, Accept-Encoding');
    expect(gunzipSync(zipped.body).toString()).toContain('/status');
  });

  it('parses Accept-Encoding qualities and cookies', () => {
    expect(acceptsGzip('gzip;q=0')).toBe(false);
    expect(acceptsGzip('br, gzip;q=0.5')).toBe(true);
    expect(acceptsGzip(undefined)).toBe(false);
    expect(cookieValue('a=1; mw-lang=zh-CN', 'mw-lang')).toBe('zh-CN');
    expect(cookieValue('xmw-lang=en', 'mw-lang')).toBeNull();
  });

  it.each([
    [undefined, 'zh-CN,zh;q=0.9', 'zh-CN'],
    [undefined, 'en;q=0.5, zh-Hans-CN', 'zh-CN'],
    [undefined, 'zh;q=0, en', 'en'],
    [undefined, 'fr, zh;q=0.9', 'en'],
    [undefined, '', 'en'],
    ['en', 'zh-CN', 'en'],
    ['xx', 'zh', 'zh-CN'],
  ])('negotiates the locale as the dashboard does: cookie %s, Accept-Language %s -> %s', (cookie, acceptLanguage, locale) => {
    expect(negotiateLocale(cookie, acceptLanguage, ['en', 'zh-CN'])).toBe(locale);
  });
});
