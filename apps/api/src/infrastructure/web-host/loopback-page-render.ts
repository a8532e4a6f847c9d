import { request } from 'node:http';
import { INTERNAL_REQUEST_HEADER, internalRequestToken } from '../rate-limit/internal-request.js';
import type { PageRender, RenderHeaders } from './page-cache.js';

/** A page render that takes longer is abandoned; the visitor's request then goes to Next directly. */
const RENDER_TIMEOUT_MS = 30_000;

/**
 * Renders a page through this server's own uncached path: a GET over
 * loopback with only the headers the page depends on, marked internal (the
 * start-up secret, loopback only) so the page cache lets it through to Next.
 * The answer is exactly what a visitor sending those headers would get;
 * without Accept-Encoding its body is not compressed.
 */
export function loopbackPageRender(origin: string): (url: string, headers: RenderHeaders) => Promise<PageRender> {
  const base = new URL(origin);
  return (url, headers) =>
    new Promise<PageRender>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: url,
          method: 'GET',
          headers: { ...headers, [INTERNAL_REQUEST_HEADER]: internalRequestToken() },
          timeout: RENDER_TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const pairs: Array<[string, string]> = [];
            for (let index = 0; index + 1 < res.rawHeaders.length; index += 2) {
              pairs.push([res.rawHeaders[index] as string, res.rawHeaders[index + 1] as string]);
            }
            resolve({ status: res.statusCode ?? 502, headers: pairs, body: Buffer.concat(chunks) });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`page render of ${url} took over ${RENDER_TIMEOUT_MS} ms`)));
      req.on('error', reject);
      req.end();
    });
}
