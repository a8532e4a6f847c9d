import { Agent, type IncomingMessage, type ServerResponse } from 'node:http';
import { SHARE_ENV, Worker } from 'node:worker_threads';
import { forwardRequest } from './forward-request.js';
import type { FromNextWorker, NextWorkerData, ToNextWorker } from './next-worker-messages.js';

/**
 * How long a closing dashboard thread may take to close Next before it is
 * ended: its pages are rendered per request (nothing to flush), and the
 * process's whole shutdown has 4.5 s (start.ts).
 */
const CLOSE_GRACE_MS = 100;

/**
 * One running dashboard thread (next-worker.ts) and the API thread's way to
 * it: a keep-alive agent to its loopback port. `exited` settles when the
 * thread is gone, whatever ended it.
 */
export class NextWorkerThread {
  readonly origin: string;
  readonly exited: Promise<number>;
  private readonly agent: Agent;

  private constructor(
    private readonly worker: Worker,
    readonly port: number,
    exited: Promise<number>,
  ) {
    this.origin = `http://127.0.0.1:${port}`;
    this.exited = exited;
    // Idle sockets are closed from this side (the thread's server keeps them 60 s), so a reused one is never one it just dropped.
    this.agent = new Agent({ keepAlive: true, timeout: 30_000 });
    void exited.then(() => this.agent.destroy());
  }

  /** Starts a thread and resolves once Next is prepared and listening; rejects (the thread ended) if it cannot load. */
  static start(script: URL, data: NextWorkerData): Promise<NextWorkerThread> {
    // Compiled JavaScript needs none of the parent's flags (a test's source condition would make it load TypeScript).
    // SHARE_ENV: server components read the API's loopback origin and internal token from the environment the API thread sets.
    const worker = new Worker(script, { workerData: data, env: SHARE_ENV, execArgv: [] });
    // The thread must not keep a stopping process alive: shutdown ends it (close()), and so does the process's exit.
    worker.unref();
    const exited = new Promise<number>((resolve) => worker.once('exit', resolve));
    // An uncaught error ends the thread ('exit' follows); the supervisor reports and restarts (next-web-host.ts).
    worker.on('error', () => undefined);
    return new Promise<NextWorkerThread>((resolve, reject) => {
      worker.once('message', (message: FromNextWorker) => {
        if (message.type === 'ready') {
          resolve(new NextWorkerThread(worker, message.port, exited));
          return;
        }
        reject(new Error(`the dashboard could not load: ${message.message}`));
        void worker.terminate();
      });
      void exited.then((code) => reject(new Error(`the dashboard thread exited with code ${code} while loading`)));
    });
  }

  get threadId(): number {
    return this.worker.threadId;
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return forwardRequest(req, res, { port: this.port, agent: this.agent });
  }

  /** Lets Next close, then ends the thread if it has not ended by itself within the grace. */
  async close(): Promise<void> {
    this.worker.postMessage({ type: 'close' } satisfies ToNextWorker);
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([this.exited, grace]);
    await this.worker.terminate();
  }
}
