import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A reverse proxy between agents and the server, standing in for the network:
 * `close()` makes the server unreachable (connections are reset) without
 * changing the agents' --server, `open(origin)` points it at a (restarted)
 * server, and `holdNextAck` lets a result batch reach the server and holds
 * the answer back, so a test can kill the agent after the server stored the
 * batch but before the agent heard so.
 */
export class ServerGate {
  private target: string | null;
  private hold: ((release: () => void) => void) | null = null;
  private readonly server: Server;
  /** Result batches the server answered 200 through this gate. */
  acknowledgedBatches = 0;

  private constructor(target: string) {
    this.target = target;
    this.server = createServer((req, res) => this.forward(req, res));
  }

  static async start(target: string, host = '127.0.0.1'): Promise<ServerGate & { origin: string }> {
    const gate = new ServerGate(target);
    await new Promise<void>((resolve) => gate.server.listen(0, host, resolve));
    const { port } = gate.server.address() as AddressInfo;
    return Object.assign(gate, { origin: `http://${host}:${port}` });
  }

  /** The server is "down": every request's connection is reset. */
  closeGate(): void {
    this.target = null;
  }

  openGate(target: string): void {
    this.target = target;
  }

  /** The next acknowledged result batch is held: `onHeld` runs with the server's 200 in hand, not yet delivered. */
  holdNextAck(onHeld: (release: () => void) => void): void {
    this.hold = onHeld;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private forward(req: IncomingMessage, res: ServerResponse): void {
    const target = this.target;
    if (target === null) {
      req.socket.destroy();
      return;
    }
    const upstream = request(`${target}${req.url ?? '/'}`, { method: req.method, headers: req.headers }, (reply) => {
      const chunks: Buffer[] = [];
      reply.on('data', (chunk: Buffer) => chunks.push(chunk));
      reply.on('end', () => {
        const send = (): void => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          res.end(Buffer.concat(chunks));
        };
        const isAck = req.method === 'POST' && req.url === '/api/agent/results' && reply.statusCode === 200;
        if (isAck) this.acknowledgedBatches += 1;
        const hold = isAck ? this.hold : null;
        if (hold === null) return send();
        this.hold = null;
        hold(send);
      });
    });
    upstream.on('error', () => req.socket.destroy());
    req.pipe(upstream);
  }
}
