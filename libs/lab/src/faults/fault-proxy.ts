import { createServer as createHttpServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer, request as httpsRequest } from 'node:https';
import { readFile } from 'node:fs/promises';
import { listenOnLoopback } from '../net/listen.js';
import { loopbackHandle, type FaultServerHandle } from './fault-server.js';
import type { FaultRule } from './fault-rule.js';
import { classifyRegistryRequest, sendRegistryError, type ProxiedRequest } from './registry-request.js';

export interface FaultProxyOptions {
  name: string;
  /** Base URL of the registry to forward to (a healthy lab mirror, usually). */
  target: string;
  rules: readonly FaultRule[];
  /** Serve https with this certificate instead of http. */
  tls?: { certPath: string; keyPath: string };
}

/**
 * A reverse proxy in front of a real registry that injects faults. The Host
 * header is passed through unchanged: distribution builds absolute URLs
 * (upload Locations) from it, so they keep pointing at the proxy.
 */
export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultServerHandle> {
  const target = new URL(options.target);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    void handle(classifyRegistryRequest(req, res), target, options.rules).catch((error: unknown) => {
      if (!res.headersSent) sendRegistryError(res, 502, 'UNKNOWN', `lab fault proxy: ${String(error)}`);
      else res.destroy();
    });
  };
  const server = options.tls
    ? createHttpsServer({ cert: await readFile(options.tls.certPath), key: await readFile(options.tls.keyPath) }, handler)
    : createHttpServer(handler);
  const listening = await listenOnLoopback(server);
  return loopbackHandle(options.name, listening.port, () => listening.close(), options.tls ? 'https' : 'http');
}

async function handle(request: ProxiedRequest, target: URL, rules: readonly FaultRule[]): Promise<void> {
  for (const rule of rules) {
    if (rule.intercept && (await rule.intercept(request))) return;
    if (request.res.destroyed) return;
  }
  const upstream = await forward(request, target);
  for (const rule of rules) {
    if (rule.deliver?.(request, upstream)) return;
  }
  request.res.writeHead(upstream.statusCode ?? 502, upstream.headers);
  upstream.pipe(request.res);
}

function forward(request: ProxiedRequest, target: URL): Promise<IncomingMessage> {
  const { req, res } = request;
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = send(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      resolve,
    );
    outgoing.on('error', reject);
    // A client that gives up must not leave the upstream request running.
    res.on('close', () => outgoing.destroy());
    req.pipe(outgoing);
  });
}
