import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A TCP relay that adds a fixed one-way delay to every byte in both
 * directions, standing in for `tc netem delay` on a kernel built without
 * sch_netem (CONFIG_NET_SCH_NETEM unset, no loadable modules). A namespace's
 * iptables DNAT sends its traffic for one mirror here (see
 * NetworkNamespaces.delayVia), so the agent sees a slow path to that mirror
 * only and cannot tell the relay from a slow link:
 *
 * - the client's handshake completes at once with the relay, so the
 *   handshake's round trip is charged before the first byte moves on: the
 *   upstream connection opens one round trip (2 x `oneWayMs`) after accept;
 * - every chunk is held `oneWayMs` before it is passed on, in order, each way,
 *   so each request/response exchange costs one more round trip.
 *
 * Totals match netem with the same delay (connect + every exchange); only the
 * split differs: what netem would show as connect time lands in the time to
 * first byte.
 */
export interface DelayRelay {
  port: number;
  stop(): Promise<void>;
}

export async function startDelayRelay(options: {
  listenHost: string;
  targetHost: string;
  targetPort: number;
  oneWayMs: number;
}): Promise<DelayRelay> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (fn: () => void, ms: number) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };
  const server: Server = createServer((client) => {
    const pending: Buffer[] = [];
    let upstream: Socket | null = null;
    let clientEnded = false;
    const track = (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        upstream?.destroy();
      });
    };
    track(client);
    // Chunks are forwarded after the delay; timers of one duration fire in the order they were set, so order holds.
    client.on('data', (chunk: Buffer) => later(() => (upstream ? upstream.write(chunk) : pending.push(chunk)), options.oneWayMs));
    client.on('end', () =>
      later(() => {
        clientEnded = true;
        upstream?.end();
      }, options.oneWayMs),
    );
    later(() => {
      if (client.destroyed) return;
      upstream = connect(options.targetPort, options.targetHost);
      track(upstream);
      for (const chunk of pending.splice(0)) upstream.write(chunk);
      if (clientEnded) upstream.end();
      upstream.on('data', (chunk: Buffer) => later(() => client.write(chunk), options.oneWayMs));
      // end, not destroy: a destroy could cut bytes still in the client socket's write buffer.
      upstream.on('end', () => later(() => client.end(), options.oneWayMs));
    }, 2 * options.oneWayMs);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, options.listenHost, resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    stop: async () => {
      for (const timer of timers) clearTimeout(timer);
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
