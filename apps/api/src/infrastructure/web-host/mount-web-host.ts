import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestId } from '../observability/logging.options.js';
import { INTERNAL_REQUEST_HEADER, internalRequestToken } from '../rate-limit/internal-request.js';
import { startNextWebHost, type NextWebHost } from './next-web-host.js';
import { loopbackPageRender } from './loopback-page-render.js';
import { PageCache } from './page-cache.js';
import type { WebHostStatus } from './web-host-status.js';

/** How long a browser or client should wait before asking for a page again while the dashboard loads. */
const LOADING_RETRY_AFTER_SECONDS = 1;
const LOADING_BODY = 'mirrorwatch is starting: the dashboard is ready in a moment.\nmirrorwatch 正在启动，页面马上就好。\n';

/** The pages whose HTML depends on stored data, URL, locale and origin only (see page-cache.ts). */
const CACHED_PAGES: ReadonlySet<string> = new Set(['/', '/status']);

/** The dashboard's locale cookie (apps/web/src/i18n/locale.ts): the only cookie a page reads. */
const LOCALE_COOKIE = 'mw-lang';

export interface PageCacheSource {
  /** Changes whenever anything the cached pages show may have (see ReadGeneration). */
  generation(): string;
}

export interface WebHostLoader {
  /** Loads the built dashboard; pages are served from then on. Rejects when it cannot load. */
  load(port: number): Promise<void>;
}

/**
 * Hands every request outside `/api` to Next.js. Registered before Nest's
 * router so pages never go through the API's guards and filters.
 *
 * start.ts loads Next.js only once the API listens: loading it costs more CPU
 * than the rest of the API's start-up on this code base (bench/startup,
 * docs/benchmarks/startup.md), and on one thread it would hold back
 * `/api/mirrors` and the exports fleets fetch. Until it is loaded, a page
 * request gets a short 503 with Retry-After rather than a refused
 * connection, and `/api/health/ready` reports the dashboard as loading.
 */
export function mountWebHost(app: NestExpressApplication, status: WebHostStatus, pages: PageCacheSource | null = null): WebHostLoader {
  let web: NextWebHost | null = null;
  let loading: Promise<NextWebHost> | null = null;
  let cache: PageCache | null = null;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      next();
      return;
    }
    // nestjs-pino numbers only Nest's routes; a page answer carries an id too, so a report can quote it.
    const id = requestId(req);
    res.setHeader(REQUEST_ID_HEADER, id);
    if (web === null) {
      res
        .status(503)
        .set({ 'Retry-After': String(LOADING_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
        .type('text/plain');
      res.send(LOADING_BODY);
      return;
    }
    const host = web;
    // The page cache's own renders go to Next, and so does whatever it cannot answer. Any request naming
    // the internal header does (valid or not): a render must never wait on itself, and a forged header
    // only buys the uncached path every request took before the cache.
    if (cache === null || req.headers[INTERNAL_REQUEST_HEADER] !== undefined) {
      host.handle(req, res).catch(next);
      return;
    }
    const toNext = () => void host.handle(req, res).catch(next);
    // A failed render (Next threw, a timeout) falls back to Next itself, as before the cache.
    cache.serve(req, res, req.path, id).then(
      (served) => (served ? undefined : toNext()),
      () => (res.headersSent ? void res.destroy() : toNext()),
    );
  });
  const httpServer = app.getHttpServer() as { on(event: 'close', listener: () => void): void };
  httpServer.on('close', () => void loading?.then((host) => host.close()).catch(() => undefined));
  return {
    async load(port: number) {
      // Server components fetch the API over loopback on the same port.
      const internalOrigin = (process.env['MIRRORWATCH_INTERNAL_ORIGIN'] ??= `http://127.0.0.1:${port}`);
      // Lets those calls skip the visitors' rate limit (see internal-request.ts); Next runs in this process, so it stays here.
      process.env['MIRRORWATCH_INTERNAL_TOKEN'] = internalRequestToken();
      loading = startNextWebHost({ port });
      web = await loading;
      if (pages !== null) {
        cache = new PageCache({
          paths: CACHED_PAGES,
          generation: () => pages.generation(),
          render: loopbackPageRender(internalOrigin),
          localeCookie: LOCALE_COOKIE,
        });
      }
      status.markReady();
    },
  };
}
