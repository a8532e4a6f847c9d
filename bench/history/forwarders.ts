import net from 'node:net';

/**
 * The seeded catalog names fixed loopback ports (mirror ids derive from the
 * URL, so the month of history stays attached to them); the live registry
 * runs on a free port. A TCP forwarder per live mirror joins the two, and
 * the dead mirrors' ports stay closed (connect_refused), as in the history.
 */
export async function startForwarders(ports: readonly number[], targetPort: number): Promise<{ stop(): Promise<void> }> {
  const servers = await Promise.all(
    ports.map(
      (port) =>
        new Promise<net.Server>((resolve, reject) => {
          const server = net.createServer((client) => {
            const upstream = net.connect(targetPort, '127.0.0.1');
            client.pipe(upstream).pipe(client);
            const close = () => {
              client.destroy();
              upstream.destroy();
            };
            client.on('error', close);
            upstream.on('error', close);
          });
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => resolve(server));
        }),
    ),
  );
  return {
    async stop() {
      await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve()))));
    },
  };
}
