/**
 * The dashboard's own process: Next.js renders here, not in the API's
 * process (next-web-host.ts). A render of `/` or `/status` is hundreds of
 * milliseconds of synchronous JavaScript; on the API's thread it held back
 * liveness and every API answer for as long (issue 16). This process loads
 * Next, listens on an ephemeral loopback port, and the API forwards page and
 * asset requests to it, so the product still has one port.
 *
 * A process rather than a thread of the API's: the dashboard is stopped when
 * nobody looks (DASHBOARD_IDLE_STOP_SECONDS), and only a process gives back
 * everything it touched when it ends. A thread left the pages of node's
 * binary it had touched (ICU's locale and time-zone tables among them, which
 * the API itself does not read) resident in the API's process for good, with
 * freed malloc space around them: 9-20 MiB after every visit (issue 10).
 *
 * Next's server components fetch the API over loopback (apps/web/src/api/
 * server-fetch.ts) with the origin and token the API put in the environment
 * this process inherits. Started by fork() with an IPC channel: the channel
 * closing (the API ended, however it ended) ends this process too.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lowerThreadPriority } from '../threads/lower-thread-priority.js';
import { DASHBOARD_NICE, type FromNextProcess, type ToNextProcess } from './next-process-messages.js';

type NextRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;
interface NextServer {
  prepare(): Promise<void>;
  getRequestHandler(): NextRequestHandler;
  close(): Promise<void>;
}

const send = process.send?.bind(process);
if (send === undefined) throw new Error('next-process.js runs as a child process started with an IPC channel only');
const dir = process.argv[2];
if (dir === undefined) throw new Error('next-process.js needs the built dashboard directory as its argument');
const tell = (message: FromNextProcess, then?: () => void) => send(message, undefined, {}, () => then?.());

// The API went away (it closed the channel, exited or was killed): nobody can reach this server any more.
// It may have gone before this line ran, and then no event comes.
process.on('disconnect', () => process.exit(0));
if (!process.connected) process.exit(0);

async function serve(dashboardDir: string): Promise<void> {
  lowerThreadPriority(DASHBOARD_NICE);
  const server = createServer();
  // Connections come from the API's keep-alive agent only; it closes idle ones first (see forward-request.ts).
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const listening = (server.address() as AddressInfo).port;
  // `next` is CommonJS; under NodeNext its default export is the factory function.
  const { default: createNextServer } = await import('next');
  const factory = createNextServer as unknown as (opts: { dev: boolean; dir: string; port: number; hostname: string }) => NextServer;
  const next = factory({ dev: false, dir: dashboardDir, port: listening, hostname: '127.0.0.1' });
  await next.prepare();
  const handle = next.getRequestHandler();
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    handle(req, res).catch((error: unknown) => {
      // Next answers its own errors; this is one it threw past itself. The API relays the 500.
      if (res.headersSent) res.destroy(error instanceof Error ? error : undefined);
      else res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' }).end('Internal Server Error');
    });
  });
  process.on('message', (message: ToNextProcess) => {
    if (message.type !== 'close') return;
    server.close();
    server.closeAllConnections();
    // Next's own timers would otherwise keep the process up.
    void next.close().finally(() => process.exit(0));
  });
  tell({ type: 'ready', port: listening });
}

serve(dir).catch((error: unknown) => {
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  tell({ type: 'failed', message }, () => process.exit(1));
});
