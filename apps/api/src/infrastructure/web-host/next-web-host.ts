import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { WORKSPACE_ROOT } from '../configuration/workspace-root.js';
import { NextChildProcess } from './next-child-process.js';

const WEB_DIR = path.join(WORKSPACE_ROOT, 'apps', 'web');

/**
 * The compiled dashboard process (tsc output), named from the repository
 * root: in the product this code runs inside the single-file bundle
 * apps/api/dist/main.js, where a path relative to `import.meta.url` would miss.
 */
const DEFAULT_SCRIPT = pathToFileURL(path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'infrastructure', 'web-host', 'next-process.js'));

/** First wait before a crashed dashboard process is started again; doubles while starts keep failing. */
const RESTART_DELAY_MS = 1_000;
const MAX_RESTART_DELAY_MS = 30_000;
/** An idle check never comes sooner than this after the last (a process in use is checked again when it could be idle). */
const MIN_IDLE_CHECK_MS = 1_000;

/** A missing build is a start-up error, raised before the port opens (Next.js itself loads after). */
export function assertDashboardBuilt(): void {
  if (!existsSync(path.join(WEB_DIR, '.next', 'BUILD_ID'))) {
    throw new Error(`The dashboard is not built (${WEB_DIR}/.next is missing): run "npm run build" first.`);
  }
}

export interface NextWebHostOptions {
  /** Told when the dashboard process is gone and being started again, and when it serves again. */
  onAvailability?(available: boolean, reason?: string): void;
  /** Told when an idle process was stopped (`idle`) and when a request started it again (`awake`, with how long that took). */
  onIdleChange?(change: { state: 'idle' } | { state: 'awake'; startMs: number }): void;
  script?: URL;
  dir?: string;
  restartDelayMs?: number;
  /** The process is stopped after this long without a request, and started again by the next one; 0 keeps it. */
  idleStopMs?: number;
  now?: () => number;
}

type ResolvedOptions = Required<Pick<NextWebHostOptions, 'script' | 'dir' | 'restartDelayMs' | 'idleStopMs' | 'now'>> & NextWebHostOptions;

/**
 * Runs the built Next.js dashboard in a process of its own started by the
 * API (next-process.ts) and forwards page and asset requests to it over
 * loopback, so pages and `/api` still share one origin and one port, and no
 * render runs on the thread that answers the API.
 *
 * A process that dies (an uncaught error, out of memory, killed) is started again,
 * after 1 s and then longer while starts keep failing; meanwhile
 * `available()` is false (pages answer the 503 "loading" answer, readiness
 * says why) and requests in flight to it fail rather than hang.
 *
 * A process nobody has used for `idleStopMs` is stopped: loaded, Next holds
 * 60-80 MiB (docs/benchmarks/memory.md), all given back when it ends, and most of
 * a monitor's hours have no visitor. The next request starts it again and
 * waits for it (Next loads in 1-2 s); the page cache answers the kept pages
 * meanwhile without it. Stopping while asleep is not an outage: `available()`
 * stays true and readiness is not affected.
 */
export class NextWebHost {
  private current: NextChildProcess | null;
  private closing = false;
  private restartDelayMs: number;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Stopped for being idle; the next request starts a process. */
  private asleep = false;
  private waking: Promise<NextChildProcess> | null = null;
  private inFlight = 0;
  private lastUsedAt: number;
  private idleTimer: NodeJS.Timeout | null = null;

  private constructor(
    first: NextChildProcess,
    private readonly options: ResolvedOptions,
  ) {
    this.current = first;
    this.restartDelayMs = options.restartDelayMs;
    this.lastUsedAt = options.now();
    this.watch(first);
    this.armIdleStop(options.idleStopMs);
  }

  /** Resolves once the first process serves; rejects (a start-up error) if it cannot load. */
  static async start(options: NextWebHostOptions = {}): Promise<NextWebHost> {
    assertDashboardBuilt();
    const resolved = {
      ...options,
      script: options.script ?? DEFAULT_SCRIPT,
      dir: options.dir ?? WEB_DIR,
      restartDelayMs: options.restartDelayMs ?? RESTART_DELAY_MS,
      idleStopMs: options.idleStopMs ?? 0,
      now: options.now ?? Date.now,
    };
    return new NextWebHost(await NextChildProcess.start(resolved.script, resolved.dir), resolved);
  }

  /** Whether a request can be served now or after a start from idle (false while a crashed process restarts). */
  available(): boolean {
    return this.current !== null || this.asleep;
  }

  /** Stopped for being idle (tests, diagnostics). */
  isAsleep(): boolean {
    return this.asleep;
  }

  /** The running process (tests, diagnostics). */
  running(): NextChildProcess | null {
    return this.current;
  }

  handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    return this.use((dashboard) => dashboard.handle(req, res));
  }

  /**
   * Runs `work` against the running process, starting it first if it was
   * stopped for being idle; the process is not stopped while any work runs.
   */
  async use<T>(work: (dashboard: NextChildProcess) => Promise<T>): Promise<T> {
    this.inFlight += 1;
    this.lastUsedAt = this.options.now();
    try {
      const dashboard = this.current ?? (this.asleep ? await this.wake() : null);
      if (dashboard === null) throw new Error('the dashboard process is restarting');
      return await work(dashboard);
    } finally {
      this.inFlight -= 1;
      this.lastUsedAt = this.options.now();
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.restartTimer !== null) clearTimeout(this.restartTimer);
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    const dashboard = this.current;
    this.current = null;
    this.asleep = false;
    // A process starting from idle is closed as soon as it is up (see wake()).
    await Promise.all([dashboard?.close(), this.waking?.catch(() => undefined)]);
  }

  /** One start at a time, shared by the requests that arrive while it loads. */
  private wake(): Promise<NextChildProcess> {
    if (this.waking !== null) return this.waking;
    const startedAt = this.options.now();
    this.waking = NextChildProcess.start(this.options.script, this.options.dir)
      .then(
        async (dashboard) => {
          if (this.closing) {
            await dashboard.close();
            throw new Error('the dashboard is shutting down');
          }
          this.current = dashboard;
          this.asleep = false;
          this.watch(dashboard);
          this.armIdleStop(this.options.idleStopMs);
          this.options.onIdleChange?.({ state: 'awake', startMs: this.options.now() - startedAt });
          return dashboard;
        },
        (error: unknown) => {
          // As after a crash: reported (readiness says why) and retried with backoff until a process serves.
          this.asleep = false;
          if (!this.closing) {
            this.options.onAvailability?.(
              false,
              `the dashboard process could not start (${error instanceof Error ? error.message : String(error)}); retrying`,
            );
            this.scheduleRestart();
          }
          throw error;
        },
      )
      .finally(() => {
        this.waking = null;
      });
    return this.waking;
  }

  /** Checks again when the process will have been idle for `idleStopMs`, counted from its last use. */
  private armIdleStop(delayMs: number): void {
    if (this.options.idleStopMs <= 0 || this.closing) return;
    if (this.idleTimer !== null) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.stopIfIdle(), Math.max(delayMs, MIN_IDLE_CHECK_MS));
    this.idleTimer.unref();
  }

  private stopIfIdle(): void {
    this.idleTimer = null;
    const dashboard = this.current;
    if (this.closing || dashboard === null) return;
    const idleForMs = this.options.now() - this.lastUsedAt;
    if (this.inFlight > 0 || idleForMs < this.options.idleStopMs) {
      this.armIdleStop(this.options.idleStopMs - Math.max(0, idleForMs));
      return;
    }
    // Not `current` any more before it closes, so its exit is not taken for a crash (watch()).
    this.current = null;
    this.asleep = true;
    this.options.onIdleChange?.({ state: 'idle' });
    void dashboard.close();
  }

  private watch(dashboard: NextChildProcess): void {
    void dashboard.exited.then((code) => {
      if (this.closing || this.current !== dashboard) return;
      this.current = null;
      this.options.onAvailability?.(false, `the dashboard process exited with code ${code}; starting it again`);
      this.scheduleRestart();
    });
  }

  private scheduleRestart(): void {
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      NextChildProcess.start(this.options.script, this.options.dir).then(
        (dashboard) => {
          if (this.closing) {
            void dashboard.close();
            return;
          }
          this.current = dashboard;
          this.lastUsedAt = this.options.now();
          this.restartDelayMs = this.options.restartDelayMs;
          this.watch(dashboard);
          this.armIdleStop(this.options.idleStopMs);
          this.options.onAvailability?.(true);
        },
        (error: unknown) => {
          if (this.closing) return;
          this.options.onAvailability?.(
            false,
            `the dashboard process could not start again (${error instanceof Error ? error.message : String(error)}); retrying`,
          );
          this.restartDelayMs = Math.min(this.restartDelayMs * 2, MAX_RESTART_DELAY_MS);
          this.scheduleRestart();
        },
      );
    }, this.restartDelayMs);
    this.restartTimer.unref();
  }
}
