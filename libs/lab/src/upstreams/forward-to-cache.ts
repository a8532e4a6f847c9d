import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { sendRegistryError } from '../faults/registry-request.js';

/**
 * Sends one request on to a pull-through cache as `path` (query kept) and
 * streams the answer back unchanged, as a reverse proxy in front of
 * per-upstream caches does.
 */
export function forwardToCache(req: IncomingMessage, res: ServerResponse, target: URL, path: string, label: string): void {
  const outgoing = httpRequest(
    { hostname: target.hostname, port: target.port, method: req.method, path, headers: { ...req.headers, host: target.host } },
    (upstream) => {
      res.writeHead(upstream.statusCode ?? 502, upstream.headers);
      upstream.pipe(res);
    },
  );
  outgoing.on('error', (error) => {
    if (!res.headersSent) sendRegistryError(res, 502, 'UNKNOWN', `${label}: ${error.message}`);
    else res.destroy();
  });
  res.on('close', () => outgoing.destroy());
  req.pipe(outgoing);
}
