import { fork, type ChildProcess } from 'node:child_process';
import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { constants } from 'node:os';
import { fileURLToPath } from 'node:url';
import { forwardRequest } from './forward-request.js';
import { lowerThreadPriority } from '../threads/lower-thread-priority.js';
import { DASHBOARD_NICE, type FromNextProcess, type ToNextProcess } from './next-process-messages.js';

/**
 * How long a closing dashboard process may take to close Next before it is
 * killed: its pages are rendered per request (nothing to flush), and the
 * API's whole shutdown has 4.5 s (start.ts).
 */
const CLOSE_GRACE_MS = 100;

/**
 * V8's young generation for the dashboard: semi-spaces of at most 2 MiB
 * instead of node's 16. A render's garbage is short-lived and small; the
 * default let the process hold 105 MiB where this holds 87, with renders no
 * slower (docs/benchmarks/memory.md, fifth round).
 */
const DASHBOARD_NODE_FLAGS = ['--max-semi-space-size=2'];

/**
 * One running dashboard process (next-process.ts) and the API's way to it:
 * a keep-alive agent to its loopback port. `exited` settles when the process
 * is gone, whatever ended it, with its exit code (128 + the signal's number
 * when a signal ended it, as a shell reports it).
 */
export class NextChildProcess {
  readonly origin: string;
  readonly exited: Promise<number>;
  private readonly agent: Agent;

  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    exited: Promise<number>,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    this.exited = exited;
    // Idle sockets are closed from this side (the process's server keeps them 60 s), so a reused one is never one it just dropped.
    this.agent = new Agent({ keepAlive: true, timeout: 30_000 });
    void exited.then(() => this.agent.destroy());
  }

  /** Starts a process and resolves once Next is prepared and listening; rejects (the process ended) if it cannot load. */
  static start(script: URL, dir: string): Promise<NextChildProcess> {
    // Compiled JavaScript needs none of the API's flags (a test's source condition would make it load TypeScript),
    // and the API's own heap settings are sized for the API. The environment is inherited: server components read
    // the API's loopback origin and internal token from it. Output goes where the API's goes.
    const child = fork(fileURLToPath(script), [dir], { execArgv: DASHBOARD_NODE_FLAGS, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // Linux keeps a nice value per thread and a new thread takes its creator's: set now, before node in the child
    // starts its helper threads, they run below the API too (the child lowers its main thread again itself).
    if (child.pid !== undefined) lowerThreadPriority(DASHBOARD_NICE, child.pid);
    // The child must not keep a stopping API alive: shutdown ends it (close()), and so does the API's exit (the channel closes).
    child.unref();
    child.channel?.unref();
    const exited = new Promise<number>((resolve) => {
      child.once('exit', (code, signal) => resolve(code ?? 128 + signalNumber(signal)));
      // A process that could not be spawned at all (no `exit` follows). Other errors (a failed send or kill)
      // leave it running: it is not gone, so they settle nothing.
      child.on('error', () => {
        if (child.pid === undefined) resolve(1);
      });
    });
    return new Promise<NextChildProcess>((resolve, reject) => {
      child.once('message', (message: FromNextProcess) => {
        if (message.type === 'ready') {
          resolve(new NextChildProcess(child, message.port, exited));
          return;
        }
        reject(new Error(`the dashboard could not load: ${message.message}`));
        child.kill('SIGKILL');
      });
      void exited.then((code) => reject(new Error(`the dashboard process exited with code ${code} while loading`)));
    });
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return forwardRequest(req, res, { port: this.port, agent: this.agent });
  }

  /** Lets Next close, then kills the process if it has not ended by itself within the grace. */
  async close(): Promise<void> {
    if (this.child.connected) this.child.send({ type: 'close' } satisfies ToNextProcess, () => undefined);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([this.exited, grace]);
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    await this.exited;
  }
}

function signalNumber(signal: NodeJS.Signals | null): number {
  const numbers: Partial<Record<NodeJS.Signals, number>> = constants.signals;
  return signal === null ? 0 : (numbers[signal] ?? 0);
}
