import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';
import { NextWorkerThread } from './next-worker-thread.js';

const WEB_DIR = path.join(WORKSPACE_ROOT, 'apps', 'web');

/**
 * The compiled thread (tsc output), named from the repository root: in the
 * product this code runs inside the single-file bundle apps/api/dist/main.js,
 * where a path relative to `import.meta.url` would miss.
 */
const DEFAULT_SCRIPT = pathToFileURL(path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'infrastructure', 'web-host', 'next-worker.js'));

/** First wait before a crashed dashboard thread is started again; doubles while starts keep failing. */
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;

/** A missing build is a start-up error, raised before the port opens (Next.js itself loads after). */
export function assertDashboardBuilt(): void {
  if (!existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error(`The dashboard is not built (${WEB_DIR}/.next is missing): run "npm run build" first.`);
  }
}

export interface NextWebHostOptions {
  /** Told when the dashboard thread is gone and being started again, and when it serves again. */
  onAvailability?(available: boolean, reason?: string): void;
  script?: URL;
  dir?: string;
  restartDelayMs?: number;
}

/**
 * Runs the built Next.js dashboard on a thread of its own inside the API
 * process (next-worker.ts) and forwards page and asset requests to it over
 * loopback, so pages and `/api` still share one origin, one port and one
 * process, and no render runs on the thread that answers the API.
 *
 * A thread that dies (an uncaught error, out of memory) is started again,
 * after 1 s and then longer while starts keep failing; meanwhile
 * `available()` is false (pages answer the 503 "loading" answer, readiness
 * says why) and requests in flight to it fail rather than hang.
 */
export class NextWebHost {
  private current: NextWorkerThread | null;
  private closing = false;
  private restartDelayMs: number;
  private restartTimer: NodeJS.Timeout | null = null;

  private constructor(
    first: NextWorkerThread,
    private readonly options: Required<Pick<NextWebHostOptions, 'script' | 'dir' | 'restartDelayMs'>> & NextWebHostOptions,
  ) {
    this.current = first;
    this.restartDelayMs = options.restartDelayMs;
    this.watch(first);
  }

  /** Resolves once the first thread serves; rejects (a start-up error) if it cannot load. */
  static async start(options: NextWebHostOptions = {}): Promise<NextWebHost> {
    assertDashboardBuilt();
    const resolved = {
      ...options,
      script: options.script ?? DEFAULT_SCRIPT,
      dir: options.dir ?? WEB_DIR,
      restartDelayMs: options.restartDelayMs ?? RESTART_DELAY_MS,
    };
    return new NextWebHost(await NextWorkerThread.start(resolved.script, { dir: resolved.dir }), resolved);
  }

  available(): boolean {
    return this.current !== null;
  }

  /** The running thread's loopback origin (page-cache renders go straight there), or null while it restarts. */
  origin(): string | null {
    return this.current?.origin ?? null;
  }

  /** The running thread (tests, diagnostics). */
  thread(): NextWorkerThread | null {
    return this.current;
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.current === null) return Promise.reject(new Error('the dashboard thread is restarting'));
    return this.current.handle(req, res);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    const thread = this.current;
    this.current = null;
    await thread?.close();
  }

  private watch(thread: NextWorkerThread): void {
    void thread.exited.then((code) => {
      if (this.closing || this.current !== thread) return;
      this.current = null;
      this.options.onAvailability?.(false, `the dashboard thread exited with code ${code}; starting it again`);
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      NextWorkerThread.start(this.options.script, { dir: this.options.dir }).then(
        (thread) => {
          if (this.closing) {
            void thread.close();
            return;
          }
          this.current = thread;
          this.restartDelayMs = this.options.restartDelayMs;
          this.watch(thread);
          this.options.onAvailability?.(true);
        },
        (error: unknown) => {
          if (this.closing) return;
          this.options.onAvailability?.(
            false,
            `the dashboard thread could not start again (${error instanceof Error ? error.message : String(error)}); retrying`,
          );
          this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
          this.scheduleRestart();
        },
      );
    }, this.restartDelayMs);
    this.restartTimer.unref();
  }
}
