import type { Server as HttpServer } from 'node:http';
import type { Server as NetServer, Socket } from 'node:net';

export interface ListeningServer {
  port: number;
  /** Closes the listener and destroys open connections, so stop() never waits on a hung client. */
  close(): Promise<void>;
}

/**
 * Listens on a kernel-chosen loopback port and tracks sockets: servers that hold
 * connections open on purpose (hang, stalled blob) would otherwise keep
 * `server.close()` waiting forever.
 */
export async function listenOnLoopback(server: HttpServer | NetServer): Promise<ListeningServer> {
  const sockets = new Set<Socket>();
  // TLS servers emit 'secureConnection' for their sockets too, but every TLS socket
  // rides on a raw one seen by 'connection', and destroying that one is enough.
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('could not read the listening address');
  let closed: Promise<void> | null = null;
  return {
    port: address.port,
    close() {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closed;
    },
  };
}
