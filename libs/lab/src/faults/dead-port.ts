import { getFreePort } from '../net/ports.js';
import { loopbackHandle, type FaultServerHandle } from './fault-server.js';

/**
 * A mirror whose host is up but nothing listens: the port was bound once and
 * released, so connects get a TCP RST (ECONNREFUSED), like a decommissioned
 * mirror whose DNS still resolves. Another process could take the port later;
 * on loopback within a test's lifetime that is unlikely enough.
 */
export async function reserveDeadPort(name = 'dead-port'): Promise<FaultServerHandle> {
  const port = await getFreePort();
  return loopbackHandle(name, port, async () => undefined);
}
