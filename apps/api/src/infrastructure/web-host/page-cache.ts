import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { matchesEtag, strongEtag } from '../http/etag.js';
import { pageKeyOf, plainPageKey, type PageKey, type PageKeyRules, type RenderHeaders } from './page-cache-key.js';

export { cookieValue, type RenderHeaders } from './page-cache-key.js';

/** On libuv's pool: half a megabyte of HTML is milliseconds of deflate the API thread need not spend. */
const gzipAsync = promisify(gzip);

/** What a page render answered: the status, Next's headers and the identity-encoded body. */
export interface PageRender {
  status: number;
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  body: Buffer;
}

/** Why a page was rendered: a visitor asked (no usable kept page, or a stale one revalidated), or a new generation came. */
export type RenderTrigger = 'visitor' | 'generation';

export interface PageCacheOptions extends PageKeyRules {
  /** Changes whenever anything those pages show may have (rankings, stored results, catch-up progress). */
  generation(): string;
  /** Renders a page through the uncached path with exactly these headers (a loopback request, see mount-web-host.ts). */
  render(url: string, headers: RenderHeaders): Promise<PageRender>;
  /** Told of each render started: for a visitor's request, or ahead of visitors for a new generation (metrics). */
  onRender?(trigger: RenderTrigger): void;
  /** Told when a visit leaves a page wanted for the next generation: `prerender()` has work from then on (see `hasWanted`). */
  onWanted?(): void;
  now?: () => number;
  /** An entry this young is served as it is. */
  freshMs?: number;
  /** Up to this age, an entry (of this generation or an older one) is served while a new render replaces it. */
  staleMs?: number;
  /** Distinct (URL, locale, origin) combinations kept beside the plain pages; clients choose them, so the map is bounded. */
  maxEntries?: number;
  /** Plain pages (no query, not a client navigation) kept, apart from the others so a flood of those cannot evict them. */
  maxPlainEntries?: number;
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
 * Plain pages remembered as asked for (the most recent): as many as two origins (Host and forwarded headers)
 * × two locales × two pages, so a flood of made-up Host headers cannot buy more renders per generation.
 */
const MAX_WANTED_PAGES = 8;

/**
 * The public pages' HTML, rendered once per data generation instead of once
 * per visitor. Server-side rendering `/` or `/status` of a hundred mirrors
 * costs hundreds of milliseconds of CPU; the HTML only changes when a probe
 * cycle or an agent's results are stored, the rollups progress, or the
 * visitor's locale or origin differ.
 *
 * Private data cannot get in by construction: the render is a fresh request
 * carrying only the headers in the key (and the locale cookie, never the
 * visitor's other cookies or Authorization), so whatever the visitor holds,
 * the page is the one any visitor with that locale and origin gets. Next's
 * client navigations (RSC requests) are kept apart; other methods and
 * answers that are not a plain 200 without Set-Cookie are never kept.
 *
 * Ages in the HTML ("checked 12 s ago") are computed at render time, so an
 * entry is served as it is for `freshMs`; then, and as soon as a new
 * generation appears, it is served up to `staleMs` while a new render replaces
 * it in the background (stale-while-revalidate: the page's own polling brings
 * the newest figures once it is open); older, the request waits for a new
 * render. So that the page is new by the time the next visitor comes,
 * `prerender()` renders again, as soon as a new generation appears, the
 * plain pages that were asked for since their last render, and only those:
 * the work follows the visitors. A page nobody asks for is not rendered
 * again (with a probe cycle every 20 s, rendering every page in every locale
 * per generation cost more CPU than the probes themselves, issue 10); the
 * first visitor after a quiet spell waits for one render, or gets the kept
 * page while it runs if that is younger than `staleMs`.
 */
export class PageCache {
  /** Plain pages: bounded on their own, so other URLs never evict them. */
  private readonly plainEntries = new Map<string, CachedPage>();
  private readonly entries = new Map<string, CachedPage>();
  private readonly rendering = new Map<string, Promise<CachedPage | PageRender>>();
  /** Plain pages asked for since their last render started, oldest first: what `prerender()` renders for a new generation. */
  private readonly wanted = new Map<string, PageKey>();
  private prerendering = false;
  private readonly now: () => number;
  private readonly freshMs: number;
  private readonly staleMs: number;
  private readonly maxEntries: number;
  private readonly maxPlainEntries: number;

  constructor(private readonly options: PageCacheOptions) {
    this.now = options.now ?? Date.now;
    this.freshMs = options.freshMs ?? 5_000;
    this.staleMs = options.staleMs ?? 30_000;
    this.maxEntries = options.maxEntries ?? 64;
    this.maxPlainEntries = options.maxPlainEntries ?? 16;
  }

  /** Answers the request from the cache (rendering first when needed); false when it must go to Next instead. */
  async serve(req: IncomingMessage, res: ServerResponse, path: string, requestId: string): Promise<boolean> {
    const keyed = pageKeyOf(req, path, this.options);
    if (keyed === null) return false;
    const generation = this.options.generation();
    const cached = (keyed.plain ? this.plainEntries : this.entries).get(keyed.key);
    let answer: CachedPage | PageRender;
    if (cached !== undefined && this.now() - cached.renderedAt <= this.staleMs) {
      // Of an older generation, or past `freshMs`: served while the new render runs in the background, so no
      // visitor waits for a render behind each probe cycle; the one after it gets the new page.
      if (cached.generation !== generation || this.now() - cached.renderedAt > this.freshMs)
        void this.renderOnce(keyed, 'visitor').catch(() => undefined);
      answer = cached;
    } else {
      answer = await this.renderOnce(keyed, 'visitor');
    }
    // After any render this request started: the visit asks for the page again at the next generation.
    if (keyed.plain) this.noteWanted(keyed);
    if ('ok' in answer) sendCached(req, res, answer, requestId);
    else sendRender(res, answer, requestId);
    return true;
  }

  /**
   * Renders, one after the other, the plain pages asked for since their last
   * render whose kept copy is of an older generation (the default locale's
   * first). Visitors asking meanwhile share the render under way. A newer
   * generation appearing midway ends the pass; the next call goes on with
   * it. Resolves with the number of renders made.
   */
  async prerender(): Promise<number> {
    if (this.prerendering || this.wanted.size === 0) return 0;
    this.prerendering = true;
    const generation = this.options.generation();
    let rendered = 0;
    try {
      const defaultLocale = this.options.locales[0];
      const pages = [...this.wanted.values()].sort((a, b) => Number(b.locale === defaultLocale) - Number(a.locale === defaultLocale));
      for (const keyed of pages) {
        if (this.options.generation() !== generation) return rendered;
        // Already of this generation: stays wanted, for the next one.
        if (this.plainEntries.get(keyed.key)?.generation === generation) continue;
        await this.renderOnce(keyed, 'generation').catch(() => undefined);
        rendered += 1;
      }
      return rendered;
    } finally {
      this.prerendering = false;
    }
  }

  /** One render per key at a time: visitors arriving meanwhile share it. */
  private renderOnce(keyed: PageKey, trigger: RenderTrigger): Promise<CachedPage | PageRender> {
    const running = this.rendering.get(keyed.key);
    if (running !== undefined) return running;
    // A render answers the wish: only a visit after it asks for the next generation's page.
    this.wanted.delete(keyed.key);
    this.options.onRender?.(trigger);
    const generation = this.options.generation();
    const renderedAt = this.now();
    const render = this.options
      .render(keyed.url, keyed.headers)
      .then(async (result) => {
        if (!isCacheable(result)) return result;
        const page = await preparePage(result, generation, renderedAt);
        // Keyed by the generation read before the render: if data changed during it, the next request renders again.
        const kept = keyed.plain ? this.plainEntries : this.entries;
        kept.delete(keyed.key);
        kept.set(keyed.key, page);
        if (kept.size > (keyed.plain ? this.maxPlainEntries : this.maxEntries)) kept.delete(kept.keys().next().value as string);
        return page;
      })
      .finally(() => this.rendering.delete(keyed.key));
    this.rendering.set(keyed.key, render);
    return render;
  }

  private noteWanted(keyed: PageKey): void {
    this.wanted.delete(keyed.key);
    this.wanted.set(keyed.key, keyed);
    if (this.wanted.size > MAX_WANTED_PAGES) this.wanted.delete(this.wanted.keys().next().value as string);
    this.options.onWanted?.();
  }

  /** Whether any page waits for a render at a new generation: while none does, `prerender()` has nothing to do. */
  hasWanted(): boolean {
    return this.wanted.size > 0;
  }

  /** Entries kept, plain pages included (for tests and metrics). */
  size(): number {
    return this.entries.size + this.plainEntries.size;
  }

  /** Whether the plain page for this path, origin and locale is kept and of the current generation (tests). */
  hasCurrentPlain(path: string, origin: RenderHeaders, locale: string): boolean {
    const keyed = plainPageKey(path, origin, locale, this.options.localeCookie);
    return this.plainEntries.get(keyed.key)?.generation === this.options.generation();
  }
}

function isCacheable(render: PageRender): boolean {
  return render.status === 200 && !render.headers.some(([name]) => name.toLowerCase() === 'set-cookie');
}

async function preparePage(render: PageRender, generation: string, renderedAt: number): Promise<CachedPage> {
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
    gzipped: await gzipAsync(render.body, { level: 6 }),
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
