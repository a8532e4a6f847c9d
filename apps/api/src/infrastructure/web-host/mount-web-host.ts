import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestId } from '../observability/logging.options.js';
import { INTERNAL_REQUEST_HEADER, internalRequestToken } from '../rate-limit/internal-request.js';
import { NextWebHost, type NextWebHostOptions } from './next-web-host.js';
import { renderOverLoopback } from './loopback-page-render.js';
import { PageCache, type RenderTrigger } from './page-cache.js';
import { PrerenderPoller } from './prerender-poller.js';
import type { WebHostStatus } from './web-host-status.js';

/** How long a browser or client should wait before asking for a page again while the dashboard loads. */
const LOADING_RETRY_AFTER_SECONDS = 1;
const LOADING_BODY = 'mirrorwatch is starting: the dashboard is ready in a moment.\nmirrorwatch 正在启动，页面马上就好。\n';

/**
 * The pages whose HTML depends on stored data, URL, locale and origin only
 * (see page-cache.ts), each with the query parameters it reads (the ranking
 * table's sort and filters, apps/web/src/ranking/sort-mirrors.ts).
 */
const CACHED_PAGES: ReadonlyMap<string, readonly string[]> = new Map([
  ['/', ['sort', 'dir', 'status', 'registry']],
  ['/status', []],
]);

/** The dashboard's locale cookie and locales, the default first (apps/web/src/i18n/locale.ts). */
const LOCALE_COOKIE = 'mw-lang';
const LOCALES = ['en', 'zh-CN'];

/** How often the page cache looks for a new data generation to pre-render the plain pages for, while one is wanted. */
const PRERENDER_POLL_MS = 250;

export interface PageCacheSource {
  /** Changes whenever anything the cached pages show may have (see ReadGeneration). */
  generation(): string;
}

/** How the dashboard's process is kept: stopped after `idleStopMs` without use (0: never), with news of it and of renders. */
export type WebHostKeeping = Pick<NextWebHostOptions, 'idleStopMs' | 'onIdleChange'> & {
  onPageRender?(trigger: RenderTrigger): void;
};

export interface WebHostLoader {
  /** Whether the dashboard's process is loaded now (false before it loads, while stopped for being idle or restarting). */
  loaded(): boolean;
  /** Loads the built dashboard; pages are served from then on. Rejects when it cannot load. */
  load(port: number): Promise<void>;
}

/**
 * Hands every request outside `/api` to Next.js, which runs in a process of
 * its own (next-web-host.ts). Registered before Nest's router so pages never
 * go through the API's guards and filters.
 *
 * start.ts loads Next.js only once the API listens: loading it costs more CPU
 * than the rest of the API's start-up on this code base (bench/startup,
 * docs/benchmarks/startup.md). Until it is loaded, and while its process is
 * started again after a crash, a page request gets a short 503 with
 * Retry-After rather than a refused connection, and `/api/health/ready`
 * reports the dashboard as loading (or restarting).
 */
export function mountWebHost(
  app: NestExpressApplication,
  status: WebHostStatus,
  pages: PageCacheSource | null = null,
  keeping: WebHostKeeping = {},
): WebHostLoader {
  let web: NextWebHost | null = null;
  let loading: Promise<NextWebHost> | null = null;
  let cache: PageCache | null = null;
  const loadingAnswer = (res: Response) => {
    res
      .status(503)
      .set({ 'Retry-After': String(LOADING_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
      .type('text/plain');
    res.send(LOADING_BODY);
  };
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      next();
      return;
    }
    // nestjs-pino numbers only Nest's routes; a page answer carries an id too, so a report can quote it.
    const id = requestId(req);
    res.setHeader(REQUEST_ID_HEADER, id);
    if (web === null || !web.available()) {
      loadingAnswer(res);
      return;
    }
    const host = web;
    // A request naming the internal header (valid or not) skips the cache: a forged one only buys the uncached path.
    const toNext = () => (host.available() ? void host.handle(req, res).catch(next) : loadingAnswer(res));
    if (cache === null || req.headers[INTERNAL_REQUEST_HEADER] !== undefined) {
      toNext();
      return;
    }
    // A failed render (Next threw, a timeout, the process restarting) falls back to Next itself, as before the cache.
    cache.serve(req, res, req.path, id).then(
      (served) => (served ? undefined : toNext()),
      () => (res.headersSent ? void res.destroy() : toNext()),
    );
  });
  status.onShutdown(async () => {
    if (web !== null) {
      await web.close();
      return;
    }
    // Still loading: shutdown does not wait for Next to finish loading; the dashboard process is closed once it has, or ends when the API does.
    void loading?.then((host) => host.close()).catch(() => undefined);
  });
  return {
    loaded: () => web?.running() != null,
    async load(port: number) {
      // Server components fetch the API over loopback on the same port.
      process.env['MIRRORWATCH_INTERNAL_ORIGIN'] ??= `http://127.0.0.1:${port}`;
      // Lets those calls skip the visitors' rate limit (see internal-request.ts); the dashboard process shares this environment.
      process.env['MIRRORWATCH_INTERNAL_TOKEN'] = internalRequestToken();
      loading = NextWebHost.start({
        ...keeping,
        onAvailability: (available, reason) => (available ? status.markReady() : status.markRestarting(reason ?? 'restarting')),
      });
      const host = await loading;
      web = host;
      if (pages !== null) {
        const poller = new PrerenderPoller(PRERENDER_POLL_MS);
        const pageCache = new PageCache({
          paths: CACHED_PAGES,
          generation: () => pages.generation(),
          // Renders go straight to the dashboard process, never through this one (starting it if it was idle).
          render: (url, headers) => host.use((dashboard) => renderOverLoopback(dashboard.origin, url, headers)),
          localeCookie: LOCALE_COOKIE,
          locales: LOCALES,
          onRender: keeping.onPageRender,
          onWanted: () => poller.pollWhileWanted(pageCache),
        });
        cache = pageCache;
        status.onShutdown(async () => poller.stop());
      }
      status.markReady();
    },
  };
}
