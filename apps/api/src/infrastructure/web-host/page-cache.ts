import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { matchesEtag, strongEtag } from '../http/etag.js';

/** What a page render answered: the status, Next's headers and the identity-encoded body. */
export interface PageRender {
  status: number;
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body: Buffer;
}

/** The request headers a page's HTML depends on, and the only ones its render is sent. */
export type RenderHeaders = Readonly<Record<string, string>>;

export interface PageCacheOptions {
  /** Pages whose HTML is a function of (stored data, URL, locale, origin) only. */
  paths: ReadonlySet<string>;
  /** Changes whenever anything those pages show may have (rankings, stored results, catch-up progress). */
  generation(): string;
  /** Renders a page through the uncached path with exactly these headers (a loopback request, see mount-web-host.ts). */
  render(url: string, headers: RenderHeaders): Promise<PageRender>;
  /** The locale cookie's name: the one cookie a page reads. */
  localeCookie: string;
  now?: () => number;
  /** An entry this young is served as it is. */
  freshMs?: number;
  /** Up to this age, an entry of the current generation is served while a new render replaces it. */
  staleMs?: number;
  /** Distinct (URL, locale, origin) combinations kept; clients choose them, so the map is bounded. */
  maxEntries?: number;
}

interface CachedPage {
  generation: string;
  renderedAt: number;
  etag: string;
  /** Header pairs for a 200 and a 304, with the request id's value slot at index 1. */
  ok: string[];
  notModified: string[];
  body: Buffer;
  gzipped: Buffer;
}

/**
 * Headers a page answer must not carry from the render to a visitor: hop-by-hop
 * ones, the render's own request id and length, and Next's cache policy, which
 * the cache replaces with a revalidating one (the ETag makes revalidation a 304).
 */
const DROPPED_HEADERS = new Set([
  'connection',
  'keep-alive',
  'transfer-encoding',
  'date',
  'content-length',
  'content-encoding',
  'x-request-id',
  'cache-control',
  'etag',
]);

/**
 * Request headers the public pages' answers depend on: locale negotiation,
 * the origin in the `curl` lines they show, and Next's client navigation
 * (an `RSC` request, e.g. the status page's refresh every minute, answers
 * the page's server-component payload for the router state it names, not HTML).
 */
const KEYED_HEADERS = [
  'host',
  'x-forwarded-host',
  'x-forwarded-proto',
  'accept-language',
  'rsc',
  'next-router-state-tree',
  'next-router-prefetch',
  'next-router-segment-prefetch',
  'next-url',
];

/** Longest URL and header value taken as a cache key: anything longer renders uncached. */
const MAX_KEY_PART_LENGTH = 2_048;

/**
 * The public pages' HTML, rendered once per data generation instead of once
 * per visitor. Server-side rendering `/` or `/status` of a hundred mirrors
 * costs hundreds of milliseconds of the one thread every API answer shares;
 * the HTML only changes when a probe cycle or an agent's results are stored,
 * the rollups progress, or the visitor's locale or origin differ.
 *
 * Private data cannot get in by construction: the render is a fresh request
 * carrying only the headers in the key (and the locale cookie, never the
 * visitor's other cookies or Authorization), so whatever the visitor holds,
 * the page is the one any visitor with that locale and origin gets. Next's
 * client navigations (RSC requests), other methods and answers that are not
 * a plain 200 without Set-Cookie are never kept.
 *
 * Ages in the HTML ("checked 12 s ago") are computed at render time, so an
 * entry is served as it is for `freshMs`, then, up to `staleMs`, served while
 * a new render of the same generation replaces it in the background; older,
 * or of another generation, the request waits for a new render.
 */
export class PageCache {
  private readonly entries = new Map<string, CachedPage>();
  private readonly rendering = new Map<string, Promise<CachedPage | PageRender>>();
  private readonly now: () => number;
  private readonly freshMs: number;
  private readonly staleMs: number;
  private readonly maxEntries: number;

  constructor(private readonly options: PageCacheOptions) {
    this.now = options.now ?? Date.now;
    this.freshMs = options.freshMs ?? 5_000;
    this.staleMs = options.staleMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 64;
  }

  /**
   * The key and render headers of a request the cache may answer, or null
   * (it then goes to Next as before). `path` is the URL's path without the query.
   */
  keyOf(req: IncomingMessage, path: string): { key: string; url: string; headers: RenderHeaders } | null {
    const url = req.url;
    if (req.method !== 'GET' || url === undefined || url.length > MAX_KEY_PART_LENGTH) return null;
    if (!this.options.paths.has(path)) return null;
    // Authorization: not something a page reads, but an admin's request is not worth the doubt. Server actions are POSTs.
    if (req.headers.authorization !== undefined || req.headers['next-action'] !== undefined) return null;
    const headers: Record<string, string> = {};
    for (const name of KEYED_HEADERS) {
      const value = req.headers[name];
      if (typeof value !== 'string') continue;
      if (value.length > MAX_KEY_PART_LENGTH) return null;
      headers[name] = value;
    }
    const locale = cookieValue(req.headers.cookie, this.options.localeCookie);
    if (locale !== null) {
      if (locale.length > MAX_KEY_PART_LENGTH) return null;
      headers['cookie'] = `${this.options.localeCookie}=${locale}`;
    }
    return { key: JSON.stringify([url, headers]), url, headers };
  }

  /** Answers the request from the cache (rendering first when needed); false when it must go to Next instead. */
  async serve(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): Promise<boolean> {
    const keyed = this.keyOf(req, path);
    if (keyed === null) return false;
    const generation = this.options.generation();
    const cached = this.entries.get(keyed.key);
    let answer: CachedPage | PageRender;
    if (cached !== undefined && cached.generation === generation && this.now() - cached.renderedAt <= this.staleMs) {
      if (this.now() - cached.renderedAt > this.freshMs) void this.renderOnce(keyed.key, keyed.url, keyed.headers).catch(() => undefined);
      answer = cached;
    } else {
      answer = await this.renderOnce(keyed.key, keyed.url, keyed.headers);
    }
    if ('ok' in answer) sendCached(req, res, answer, requestId);
    else sendRender(res, answer, requestId);
    return true;
  }

  /** One render per key at a time: visitors arriving meanwhile share it. */
  private renderOnce(key: string, url: string, headers: RenderHeaders): Promise<CachedPage | PageRender> {
    const running = this.rendering.get(key);
    if (running !== undefined) return running;
    const generation = this.options.generation();
    const renderedAt = this.now();
    const render = this.options
      .render(url, headers)
      .then((result) => {
        if (!isCacheable(result)) return result;
        const page = preparePage(result, generation, renderedAt);
        // Keyed by the generation read before the render: if data changed during it, the next request renders again.
        this.entries.delete(key);
        this.entries.set(key, page);
        if (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value as string);
        return page;
      })
      .finally(() => this.rendering.delete(key));
    this.rendering.set(key, render);
    return render;
  }

  /** Entries kept (for tests and metrics). */
  size(): number {
    return this.entries.size;
  }
}

function isCacheable(render: PageRender): boolean {
  return render.status === 200 && !render.headers.some(([name]) => name.toLowerCase() === 'set-cookie');
}

function preparePage(render: PageRender, generation: string, renderedAt: number): CachedPage {
  const kept = render.headers.filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase())).flatMap(([name, value]) => [name, value]);
  const etag = strongEtag(render.body);
  // `private`: the HTML carries the visitor's origin and locale; `no-cache`: revalidate every time (a 304 while the data is unchanged).
  const common = ['X-Request-Id', '', ...withVaryOnEncoding(kept), 'ETag', etag, 'Cache-Control', 'private, no-cache'];
  return {
    generation,
    renderedAt,
    etag,
    ok: common,
    notModified: common,
    body: render.body,
    gzipped: gzipSync(render.body, { level: 6 }),
  };
}

/** The body is sent gzipped or not by Accept-Encoding: say so in Vary, beside what Next varies on. */
function withVaryOnEncoding(pairs: string[]): string[] {
  const result = pairs.slice();
  const index = result.findIndex((value, position) => position % 2 === 0 && value.toLowerCase() === 'vary');
  if (index === -1) return [...result, 'Vary', 'Accept-Encoding'];
  const current = result[index + 1] ?? '';
  if (!/(^|,)\s*accept-encoding\s*(,|$)/i.test(current)) result[index + 1] = `${current}, Accept-Encoding`;
  return result;
}

function sendCached(req: IncomingMessage, res: ServerResponse, page: CachedPage, requestId: string): void {
  if (matchesEtag(req.headers['if-none-match'], page.etag)) {
    const headers = page.notModified.slice();
    headers[1] = requestId;
    res.writeHead(304, headers);
    res.end();
    return;
  }
  const gzip = acceptsGzip(req.headers['accept-encoding']);
  const body = gzip ? page.gzipped : page.body;
  const headers = page.ok.slice();
  headers[1] = requestId;
  if (gzip) headers.push('Content-Encoding', 'gzip');
  headers.push('Content-Length', String(body.length));
  res.writeHead(200, headers);
  res.end(body);
}

/** An answer that is not kept (an error page, a redirect): relayed as the render gave it. */
function sendRender(res: ServerResponse, render: PageRender, requestId: string): void {
  const headers = render.headers.filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()) || name.toLowerCase() === 'cache-control');
  res.writeHead(render.status, [
    'X-Request-Id',
    requestId,
    ...headers.flatMap(([name, value]) => [name, value]),
    'Content-Length',
    String(render.body.length),
  ]);
  res.end(render.body);
}

/** `gzip` listed with a non-zero quality (RFC 9110 12.5.3). */
export function acceptsGzip(header: string | string[] | undefined): boolean {
  if (typeof header !== 'string') return false;
  return header.split(',').some((part) => {
    const [coding, ...params] = part.trim().split(';');
    if (coding?.trim().toLowerCase() !== 'gzip') return false;
    const quality = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    return quality === undefined || Number(quality.slice(2)) > 0;
  });
}

/** One cookie's value from a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}
