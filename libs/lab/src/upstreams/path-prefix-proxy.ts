import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net/listen.js';
import { loopbackHandle, type FaultServerHandle } from '../faults/fault-server.js';
import { sendRegistryError } from '../faults/registry-request.js';
import { forwardToCache } from './forward-to-cache.js';

export interface PathPrefixProxyOptions {
  name?: string;
  /** Registry host as it appears after `/v2/` (`ghcr.io`) -> base URL of that upstream's pull-through cache. */
  routes: Readonly<Record<string, string>>;
}

/**
 * A path-prefix mirror, as m.daocloud.io serves every upstream from one host:
 * `GET /v2/<registry>/<repository>/...` goes to that registry's cache as
 * `/v2/<repository>/...`; `/v2/` answers 200 itself; an unknown registry is a
 * 404 NAME_UNKNOWN, as a real one answers for an upstream it does not mirror.
 */
export async function startPathPrefixProxy(options: PathPrefixProxyOptions): Promise<FaultServerHandle> {
  const routes = new Map(Object.entries(options.routes).map(([registry, url]) => [registry, new URL(url)]));
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/v2' || url.pathname === '/v2/') {
      res.writeHead(200, { 'content-type': 'application/json', 'docker-distribution-api-version': 'registry/2.0', 'content-length': 2 });
      res.end('{}');
      return;
    }
    const match = /^\/v2\/([^/]+)\/(.+)$/.exec(url.pathname);
    const target = match ? routes.get(match[1] ?? '') : undefined;
    if (!match || !target) {
      sendRegistryError(res, 404, 'NAME_UNKNOWN', `no upstream mirrored under ${url.pathname} (lab path-prefix proxy)`);
      return;
    }
    forwardToCache(req, res, target, `/v2/${match[2]}${url.search}`, 'lab path-prefix proxy');
  };
  const listening = await listenOnLoopback(createServer(handler));
  return loopbackHandle(options.name ?? 'path-prefix', listening.port, () => listening.close());
}
