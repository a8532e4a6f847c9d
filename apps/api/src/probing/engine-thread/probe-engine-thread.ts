import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ProbeResult } from '@mirrorwatch/domain';
import type { ProbeOptionsInput, ProbeTarget } from '@mirrorwatch/probe';
import type { FromEngine, ToEngine } from './engine-messages.js';
import { WORKSPACE_ROOT } from '#infrastructure/configuration/workspace-root.js';

/**
 * The compiled worker (tsc output), named from the repository root rather than
 * from this module: in the product this code runs inside the single-file
 * bundle apps/api/dist/main.js, where a path relative to `import.meta.url` would miss.
 */
const DEFAULT_WORKER = pathToFileURL(
  path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'probing', 'engine-thread', 'probe-engine.worker.js'),
);

/** The engine thread's young generation (MiB): what one turn of probe results allocates, with room. */
const ENGINE_YOUNG_GENERATION_MB = 6;

/** `--cpu-prof`, `--cpu-prof-dir=...`, `--cpu-prof-interval=...`: per-thread options a worker accepts in its execArgv. */
function isProfilingFlag(flag: string): boolean {
  return /^--cpu-prof/.test(flag);
}

interface Pending {
  resolve(result: ProbeResult | null): void;
  reject(error: Error): void;
  detach(): void;
}

/**
 * The API thread's handle on the probe engine thread (probe-engine.worker.ts):
 * `probe` has probeMirror's signature, so callers do not know where it runs.
 * The thread starts on first use; if it dies, the probes in flight fail with
 * the reason and the next probe starts a new one.
 */
export class ProbeEngineThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly script: URL = DEFAULT_WORKER) {}

  /** Probes at once; an aborted signal ends the probe, which records the abort on its result. */
  probe(target: ProbeTarget, options?: ProbeOptionsInput): Promise<ProbeResult>;
  /**
   * Probes at `startAt` (epoch ms): the engine thread holds the probe until
   * then on its own timer, which the API thread's busy event loop cannot
   * delay; a caller hands probes over a little early for that. Null when the
   * signal fired before the start time: nothing was sent to the mirror.
   */
  probe(target: ProbeTarget, options: ProbeOptionsInput, startAt: number): Promise<ProbeResult | null>;
  probe(target: ProbeTarget, options: ProbeOptionsInput = {}, startAt?: number): Promise<ProbeResult | null> {
    const { signal, ...rest } = options;
    if (startAt !== undefined && signal?.aborted) return Promise.resolve(null);
    const worker = this.started();
    const id = this.nextId++;
    return new Promise<ProbeResult | null>((resolve, reject) => {
      const onAbort = () => worker.postMessage({ type: 'abort', id } satisfies ToEngine);
      signal?.addEventListener('abort', onAbort, { once: true });
      this.pending.set(id, { resolve, reject, detach: () => signal?.removeEventListener('abort', onAbort) });
      // An already-aborted signal still gets an answer: the engine records the abort on the result.
      worker.postMessage({ type: 'probe', id, target, options: rest, startAt } satisfies ToEngine);
      if (signal?.aborted) onAbort();
    });
  }

  async stop(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }

  private started(): Worker {
    if (this.worker) return this.worker;
    // Compiled JavaScript needs none of the parent's flags, and a parent run with the workspace's
    // source condition (tests, tsx) would make the thread resolve libraries to TypeScript it cannot load.
    // A small young generation: the thread keeps little alive between probes, and V8's default (up to
    // 16 MiB per semi-space, as the API thread's) held that much resident for nothing (issue 10).
    // Profiling flags are the exception: `--cpu-prof` then writes a profile of this thread too (bench:probe-cpu:profile).
    const worker = new Worker(this.script, {
      execArgv: process.execArgv.filter(isProfilingFlag),
      resourceLimits: { maxYoungGenerationSizeMb: ENGINE_YOUNG_GENERATION_MB },
    });
    // The thread must not keep a stopping process alive; probes in flight keep their own handles.
    worker.unref();
    worker.on('message', (message: FromEngine) => {
      for (const outcome of message.outcomes) {
        const pending = this.pending.get(outcome.id);
        if (!pending) continue;
        this.pending.delete(outcome.id);
        pending.detach();
        if (outcome.result) pending.resolve(outcome.result);
        else if (outcome.notStarted) pending.resolve(null);
        else pending.reject(new Error(`probe engine: ${outcome.error ?? 'no result'}`));
      }
    });
    const fail = (error: Error) => {
      if (this.worker === worker) this.worker = null;
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.detach();
        pending.reject(error);
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`probe engine thread exited with code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
