import type { RollupRunResult } from '../rollup-job.service.js';

/** What the rollup thread is started with: it opens its own connection to the same database. */
export interface RollupWorkerData {
  databaseUrl: string;
  rawProbeRetentionDays: number;
  rollupBusyPercent: number;
  /** The pass's clock, as epoch milliseconds (a Date crosses the boundary as a Date, but a number says what it is). */
  nowMs: number;
}

export type ToRollupThread = { type: 'abort' };

/** Dates cross as Dates (structured clone); `threadId` lets a caller see where the pass ran. */
export type FromRollupThread =
  | { type: 'begin'; fromDay: Date; days: number; slices: number }
  | { type: 'advance' }
  | { type: 'finished'; result: RollupRunResult; threadId: number }
  | { type: 'failed'; error: string };
