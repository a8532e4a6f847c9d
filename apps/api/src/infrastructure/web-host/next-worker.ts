/**
 * The dashboard's own thread: Next.js renders here, not on the API's thread
 * (next-web-host.ts). A render of `/` or `/status` is hundreds of
 * milliseconds of synchronous JavaScript; on the API's thread it held back
 * liveness and every API answer for as long (issue 16). This thread loads
 * Next, listens on an ephemeral loopback port, and the API thread forwards
 * page and asset requests to it, so the product still has one port and one
 * process.
 *
 * Next's server components fetch the API over loopback (apps/web/src/api/
 * server-fetch.ts) with the origin and token the API thread put in the
 * environment, which this thread shares (SHARE_ENV).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';
import { lowerThreadPriority } from '../threads/lower-thread-priority.js';
import type { FromNextWorker, NextWorkerData, ToNextWorker } from './next-worker-messages.js';

/**
 * Below the API thread: pages are answered from the page cache (a kept page
 * while a new one renders), so a render can wait for a core; liveness and the
 * exports cannot. Not the lowest: the first page after start waits for Next to load.
 */
const DASHBOARD_THREAD_NICE = 5;

type NextRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): NextRequestHandler;
  close(): Promise<void>;
}

const port = parentPort;
if (port === null) throw new Error('next-worker.js runs as a worker thread only');
const { dir } = workerData as NextWorkerData;

async function serve(): Promise<void> {
  lowerThreadPriority(DASHBOARD_THREAD_NICE);
  const server = createServer();
  // Connections come from the API thread's keep-alive agent only; it closes idle ones first (see forward-request.ts).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const listening = (server.address() as AddressInfo).port;
  // `next` is CommonJS; under NodeNext its default export is the factory function.
  const { default: createNextServer } = await import('next');
  const factory = createNextServer as unknown as (opts: { dev: boolean; dir: string; port: number; hostname: string }) => NextServer;
  const next = factory({ dev: false, dir, port: listening, hostname: '127.0.0.1' });
  await next.prepare();
  const handle = next.getRequestHandler();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      // Next answers its own errors; this is one it threw past itself. The API thread relays the 500.
      if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
      else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal Server Error');
    });
  });
  port?.on('message', (message: ToNextWorker) => {
    if (message.type !== 'close') return;
    server.close();
    server.closeAllConnections();
    // In a worker thread, process.exit ends this thread only: Next's own timers would otherwise keep it up.
    void next.close().finally(() => process.exit(0));
  });
  port?.postMessage({ type: 'ready', port: listening } satisfies FromNextWorker);
}

serve().catch((error: unknown) => {
  port.postMessage({
    type: 'failed',
    message: error instanceof Error ? (error.stack ?? error.message) : String(error),
  } satisfies FromNextWorker);
  port.close();
});
