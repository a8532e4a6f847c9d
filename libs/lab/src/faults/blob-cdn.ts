import { createServer, request } from 'node:http';
import { listenOnLoopback } from '../net/listen.js';
import { loopbackHandle, type FaultServerHandle } from './fault-server.js';

/**
 * A stand-in for the object store or CDN that registries redirect blob
 * downloads to (Docker Hub sends a 307 to its CDN). Serves
 * `GET /<repository>/blobs/<digest>` by streaming the blob from `originUrl`,
 * a registry that needs no auth, so the redirect target is another host:port
 * that clients must reach without the registry's Authorization header.
 */
export async function startBlobCdn(originUrl: string, name = 'blob-cdn'): Promise<FaultServerHandle> {
  const origin = new URL(originUrl);
  const server = createServer((req, res) => {
    const match = /^\/(.+)\/blobs\/(sha256:[a-f0-9]+)$/.exec(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    if (!match || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404).end();
      return;
    }
    const upstream = request(
      {
        hostname: origin.hostname,
        port: origin.port,
        method: req.method,
        path: `/v2/${match[1]}/blobs/${match[2]}`,
        headers: req.headers.range ? { range: req.headers.range } : {},
      },
      (blob) => {
        res.writeHead(blob.statusCode ?? 502, {
          'content-type': 'application/octet-stream',
          ...(blob.headers['content-length'] ? { 'content-length': blob.headers['content-length'] } : {}),
          ...(blob.headers['content-range'] ? { 'content-range': blob.headers['content-range'] } : {}),
        });
        blob.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    res.on('close', () => upstream.destroy());
    upstream.end();
  });
  const listening = await listenOnLoopback(server);
  return loopbackHandle(name, listening.port, () => listening.close());
}
