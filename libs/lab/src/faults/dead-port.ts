import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { loopbackHandle, type FaultServerHandle } from './fault-server.js';

/** Linux's default ephemeral range, used when /proc cannot be read. */
const DEFAULT_EPHEMERAL_RANGE: [number, number] = [32768, 60999];
const LOWEST_PORT = 10_000;

/**
 * The ports the kernel hands out for `listen(0)` and outgoing connections
 * (net.ipv4.ip_local_port_range). A dead port must lie outside it: a port
 * released from a port-0 listener is soon handed to the next one (another lab
 * server, a test's client socket), and the "dead" mirror would come alive.
 */
function ephemeralRange(): [number, number] {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low && high && low > LOWEST_PORT + 1000) return [low, high];
  } catch {
    // not Linux, or /proc not mounted: keep the default
  }
  return DEFAULT_EPHEMERAL_RANGE;
}

/** Dead ports handed out by this process and not stopped yet. */
const reservedDeadPorts = new Set<number>();

function canListen(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A mirror whose host is up but nothing listens: connects get a TCP RST
 * (ECONNREFUSED), like a decommissioned mirror whose DNS still resolves.
 * The port is a free one below the ephemeral range, so nothing on this
 * machine is given it by accident while the lab runs.
 */
export async function reserveDeadPort(name = 'dead-port'): Promise<FaultServerHandle> {
  const [ephemeralLow] = ephemeralRange();
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const port = LOWEST_PORT + Math.floor(Math.random() * (ephemeralLow - LOWEST_PORT));
    // Nothing listens on a dead port, so nothing holds it: two reservations in one process could draw the
    // same one (a catalog of two dead mirrors was refused as one URL declared twice). Kept until stopped;
    // checked again after the await, for reservations made side by side.
    if (reservedDeadPorts.has(port) || !(await canListen(port)) || reservedDeadPorts.has(port)) continue;
    reservedDeadPorts.add(port);
    return loopbackHandle(name, port, async () => void reservedDeadPorts.delete(port));
  }
  throw new Error(`no free port found below ${ephemeralLow} for a dead mirror`);
}
