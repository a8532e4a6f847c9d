import { createServer } from 'node:net';
import { listenOnLoopback } from '../net/listen.js';
import { loopbackHandle, type FaultServerHandle } from './fault-server.js';

/**
 * Accepts TCP connections and never sends a byte: the blackholed mirror that
 * costs dockerd ~15 s before it moves on. Only a client-side timeout ends it.
 */
export async function startHangServer(name = 'hang'): Promise<FaultServerHandle> {
  const server = createServer((socket) => {
    // Swallow resets from clients giving up; the socket is left open on purpose.
    socket.on('error', () => undefined);
  });
  const listening = await listenOnLoopback(server);
  return loopbackHandle(name, listening.port, () => listening.close());
}
