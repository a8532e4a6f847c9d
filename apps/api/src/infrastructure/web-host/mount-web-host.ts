import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestId } from '../observability/logging.options.js';
import { internalRequestToken } from '../rate-limit/internal-request.js';
import { startNextWebHost, type NextWebHost } from './next-web-host.js';
import type { WebHostStatus } from './web-host-status.js';

/** How long a browser or client should wait before asking for a page again while the dashboard loads. */
const LOADING_RETRY_AFTER_SECONDS = 1;
const LOADING_BODY = 'mirrorwatch is starting: the dashboard is ready in a moment.\nmirrorwatch 正在启动，页面马上就好。\n';

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
export function mountWebHost(app: NestExpressApplication, status: WebHostStatus): WebHostLoader {
  let web: NextWebHost | null = null;
  let loading: Promise<NextWebHost> | null = null;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      next();
      return;
    }
    // nestjs-pino numbers only Nest's routes; a page answer carries an id too, so a report can quote it.
    res.setHeader(REQUEST_ID_HEADER, requestId(req));
    if (web === null) {
      res
        .status(503)
        .set({ 'Retry-After': String(LOADING_RETRY_AFTER_SECONDS), 'Cache-Control': 'no-store' })
        .type('text/plain');
      res.send(LOADING_BODY);
      return;
    }
    web.handle(req, res).catch(next);
  });
  const httpServer = app.getHttpServer() as { on(event: 'close', listener: () => void): void };
  httpServer.on('close', () => void loading?.then((host) => host.close()).catch(() => undefined));
  return {
    async load(port: number) {
      // Server components fetch the API over loopback on the same port.
      process.env['MIRRORWATCH_INTERNAL_ORIGIN'] ??= `http://127.0.0.1:${port}`;
      // Lets those calls skip the visitors' rate limit (see internal-request.ts); Next runs in this process, so it stays here.
      process.env['MIRRORWATCH_INTERNAL_TOKEN'] = internalRequestToken();
      loading = startNextWebHost({ port });
      web = await loading;
      status.markReady();
    },
  };
}
