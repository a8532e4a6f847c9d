import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface TestServer {
  url: string;
  port: number;
  /** Sockets currently open on the server side: must drop to 0 after a probe (no leaked handles). */
  openSockets(): number;
  close(): Promise<void>;
}

function track(server: Server | ReturnType<typeof createNetServer>, protocol: string): Promise<TestServer> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `${protocol}//127.0.0.1:${port}`,
        port,
        openSockets: () => sockets.size,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** An HTTP(S) server on 127.0.0.1, random port. Handler errors become 500s, never crashes. */
export function startServer(handler: Handler, tls?: { key: string; cert: string }): Promise<TestServer> {
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    Promise.resolve(handler(request, response)).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  };
  const server = tls ? createHttpsServer({ key: tls.key, cert: tls.cert }, listener) : createHttpServer(listener);
  server.keepAliveTimeout = 60_000;
  return track(server, tls ? 'https:' : 'http:');
}

/** A TCP server that speaks whatever `onConnection` writes: for responses node:http refuses to produce. */
export function startRawServer(onConnection: (socket: Socket) => void): Promise<TestServer> {
  const server = createNetServer((socket) => {
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  return track(server, 'http:');
}

/** Waits until `check` holds or the time is up; returns the last value of `check`. */
export async function eventually(check: () => boolean, withinMs = 1_000): Promise<boolean> {
  const until = Date.now() + withinMs;
  while (!check() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 10));
  return check();
}
