import net from 'node:net';

const LISTEN_ATTEMPTS = 20;
const RETRY_MS = 250;

/**
 * The seeded catalog names fixed loopback ports (mirror ids derive from the
 * URL, so the month of history stays attached to them); the live registry
 * runs on a free port. A TCP forwarder per live mirror joins the two, and
 * the dead mirrors' ports stay closed (connect_refused), as in the history.
 * The seeded ports lie in Linux's ephemeral range, so one may briefly be a
 * client socket's: retry, and report the ports that stayed taken.
 */
export async function startForwarders(ports: readonly number[], targetPort: number): Promise<{ taken: number[]; stop(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const servers: net.Server[] = [];
  const taken: number[] = [];
  for (const port of ports) {
    const server = net.createServer((client) => {
      const upstream = net.connect(targetPort, '127.0.0.1');
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on('close', () => sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    if (await listenWithRetry(server, port)) servers.push(server);
    else taken.push(port);
  }
  return {
    taken,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}

async function listenWithRetry(server: net.Server, port: number): Promise<boolean> {
  for (let attempt = 0; attempt < LISTEN_ATTEMPTS; attempt += 1) {
    const listening = await new Promise<boolean>((resolve) => {
      const onError = () => {
        server.off('listening', onListening);
        resolve(false);
      };
      const onListening = () => {
        server.off('error', onError);
        resolve(true);
      };
      server.once('error', onError);
      server.once('listening', onListening);
      server.listen(port, '127.0.0.1');
    });
    if (listening) return true;
    await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
  }
  return false;
}
