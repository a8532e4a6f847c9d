import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { WORKSPACE_ROOT } from '#infrastructure/configuration/workspace-root.js';
import type { CatchUpReporter } from '../catch-up-progress.js';
import type { RollupRunResult } from '../rollup-job.service.js';
import type { FromRollupThread, RollupWorkerData, ToRollupThread } from './rollup-messages.js';

/**
 * The worker (rollup.worker.ts) bundled into one file by apps/api/bundle.mjs,
 * named from the repository root: in the product this code runs inside the
 * single-file bundle apps/api/dist/main.js, where a path relative to
 * `import.meta.url` would miss.
 */
const DEFAULT_WORKER = pathToFileURL(path.join(WORKSPACE_ROOT, 'apps', 'api', 'dist', 'rollup-worker.js'));

/**
 * How long an aborted pass may take to reach its slice boundary before the
 * thread is ended: at the lowest CPU priority on a busy machine a slice can
 * wait seconds for a core, and the process's shutdown must not wait with it.
 * Ending it mid-statement is safe: an unfinished transaction is rolled back
 * (SQLite when its connection goes, PostgreSQL when the session drops), and
 * the next pass resumes from what was committed.
 */
const ABORT_GRACE_MS = 1_000;

export interface RollupThreadRun extends RollupRunResult {
  /** The thread the pass ran on (never the caller's). */
  threadId: number;
}

/**
 * Runs one rollup pass (RollupJobService) on a thread of its own with its own
 * database connection, and relays its progress to `progress` on the calling
 * thread. A thread per pass: passes are hourly, and a thread that is gone
 * holds no connection, no memory and no lock between them.
 */
export class RollupJobThread {
  constructor(private readonly script: URL = DEFAULT_WORKER) {}

  run(options: {
    databaseUrl: string;
    rawProbeRetentionDays: number;
    rollupBusyPercent: number;
    now: Date;
    progress: CatchUpReporter;
    signal?: AbortSignal;
  }): Promise<RollupThreadRun> {
    const data: RollupWorkerData = {
      databaseUrl: options.databaseUrl,
      rawProbeRetentionDays: options.rawProbeRetentionDays,
      rollupBusyPercent: options.rollupBusyPercent,
      nowMs: options.now.getTime(),
    };
    // Compiled JavaScript needs none of the parent's flags (a test's source condition would make it load TypeScript).
    const worker = new Worker(this.script, { workerData: data, execArgv: [] });
    // A stopping process does not wait for the pass: the scheduler aborts and awaits it at shutdown.
    worker.unref();
    const { progress, signal } = options;
    return new Promise<RollupThreadRun>((resolve, reject) => {
      let settled = false;
      // The pass stops at its next slice boundary (or before the first, if the thread is still loading), or is
      // ended ABORT_GRACE_MS after it has begun if it has not got there: loading runs at normal priority and
      // checks the abort itself; a slice at the lowest priority may wait long for a core.
      let aborted = false;
      let begun = false;
      const endSoon = () => setTimeout(() => void worker.terminate(), ABORT_GRACE_MS).unref();
      const onAbort = () => {
        aborted = true;
        worker.postMessage({ type: 'abort' } satisfies ToRollupThread);
        if (begun) endSoon();
      };
      const settle = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        progress.finish();
        outcome();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
      worker.on('message', (message: FromRollupThread) => {
        if (message.type === 'begin') {
          begun = true;
          if (aborted) endSoon();
          progress.begin(message.fromDay, message.days, message.slices);
        } else if (message.type === 'advance') progress.advance();
        else if (message.type === 'finished') settle(() => resolve({ ...message.result, threadId: message.threadId }));
        else settle(() => reject(new Error(`rollup thread: ${message.error}`)));
      });
      worker.on('error', (error) => settle(() => reject(error)));
      worker.on('exit', (code) =>
        settle(() =>
          reject(
            new Error(
              aborted
                ? `rollup thread ended at shutdown before its slice finished; the next start resumes from the last committed slice`
                : `rollup thread exited with code ${code} before finishing`,
            ),
          ),
        ),
      );
    });
  }
}
