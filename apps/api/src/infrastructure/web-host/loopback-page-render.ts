import { request } from 'node:http';
import type { PageRender, RenderHeaders } from './page-cache.js';

/** A page render that takes longer is abandoned; the visitor's request then goes to Next directly. */
const RENDER_TIMEOUT_MS = 30_000;

/**
 * Renders a page with a GET to the dashboard process's loopback server
 * (next-process.ts) carrying only the headers the page depends on. The
 * answer is exactly what a visitor sending those headers would get; without
 * Accept-Encoding its body is not compressed. `origin` is the running
 * process's (a restarted one listens on another port).
 */
export function renderOverLoopback(origin: string, url: string, headers: RenderHeaders): Promise<PageRender> {
  return new Promise<PageRender>((resolve, reject) => {
    const base = new URL(origin);
    const req = request(
      { host: base.hostname, port: base.port, path: url, method: 'GET', headers: { ...headers }, timeout: RENDER_TIMEOUT_MS },
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
