import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { REQUEST_ID_HEADER, requestId } from '../observability/logging.options.js';
import { internalRequestToken } from '../rate-limit/internal-request.js';
import { startNextWebHost, type NextWebHost } from './next-web-host.js';

/**
 * Starts loading the built dashboard. main.ts calls it before the Nest
 * application is created, so Next.js reads its build while the database is
 * migrated and the modules start (seconds on a busy machine), not after.
 */
export function prepareWebHost(port: number): Promise<NextWebHost> {
  // Server components fetch the API over loopback on the same port.
  process.env['MIRRORWATCH_INTERNAL_ORIGIN'] ??= `http://127.0.0.1:${port}`;
  // Lets those calls skip the visitors' rate limit (see internal-request.ts); Next runs in this process, so it stays here.
  process.env['MIRRORWATCH_INTERNAL_TOKEN'] = internalRequestToken();
  return startNextWebHost({ port });
}

/**
 * Hands every request outside `/api` to Next.js. Registered before Nest's
 * router so pages never go through the API's guards and filters.
 */
export async function mountWebHost(app: NestExpressApplication, prepared: Promise<NextWebHost>): Promise<void> {
  const web = await prepared;
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (req.path === '/api' || req.path.startsWith('/api/')) {
      next();
      return;
    }
    // nestjs-pino numbers only Nest's routes; a page answer carries an id too, so a report can quote it.
    res.setHeader(REQUEST_ID_HEADER, requestId(req));
    web.handle(req, res).catch(next);
  });
  const httpServer = app.getHttpServer() as { on(event: 'close', listener: () => void): void };
  httpServer.on('close', () => void web.close());
}
