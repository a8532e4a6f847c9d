import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from '../net/listen.js';
import { loopbackHandle, type FaultServerHandle } from '../faults/fault-server.js';
import { sendRegistryError } from '../faults/registry-request.js';
import { forwardToCache } from './forward-to-cache.js';

export interface RegistryRootProxyOptions {
  name?: string;
  /** Registry host as the first path segment (`ghcr.io`) -> base URL of that upstream's pull-through cache. */
  routes: Readonly<Record<string, string>>;
}

/**
 * A registry-root mirror: one host serving each upstream's whole registry API
 * under `/<registry>/v2/...`, as a reverse proxy in front of per-upstream
 * pull-through caches does (nginx `location /ghcr.io/ { proxy_pass http://ghcr-cache/; }`).
 * `/<registry>/v2/<rest>` goes to that registry's cache as `/v2/<rest>`, the
 * ping `/<registry>/v2/` included; anything else, an unknown registry
 * included, is a 404 NAME_UNKNOWN.
 */
export async function startRegistryRootProxy(options: RegistryRootProxyOptions): Promise<FaultServerHandle> {
  const routes = new Map(Object.entries(options.routes).map(([registry, url]) => [registry, new URL(url)]));
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/([^/]+)\/v2(\/.*)?$/.exec(url.pathname);
    const target = match ? routes.get(match[1] ?? '') : undefined;
    if (!match || !target) {
      sendRegistryError(res, 404, 'NAME_UNKNOWN', `no registry served under ${url.pathname} (lab registry-root proxy)`);
      return;
    }
    forwardToCache(req, res, target, `/v2${match[2] ?? '/'}${url.search}`, 'lab registry-root proxy');
  };
  const listening = await listenOnLoopback(createServer(handler));
  return loopbackHandle(options.name ?? 'registry-root', listening.port, () => listening.close());
}
