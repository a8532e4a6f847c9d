import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { MAIN_PROBE_FILTER } from '#infrastructure/configuration/probed-image.js';
import { deleteInBatches } from './batched-retention.js';
import type { CatchUpReporter } from './catch-up-progress.js';
import { dayStarts, retentionCutoff, rollupStart } from './rollup-plan.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

export interface RollupRunResult {
  from: Date;
  hourBuckets: number;
  dayBuckets: number;
  deletedProbes: number;
  /** True when the run stopped early on its abort signal (shutdown); the next run resumes. */
  aborted: boolean;
}

/**
 * One rollup pass: hourly and daily rollups of the main image's probes (the
 * allowlist check probes another repository and must not count toward
 * uptime, as in the ranking), then retention. Deleting comes last, so a raw
 * probe is only ever deleted after the buckets holding it were written.
 * Both granularities are computed from raw probes (a day's median is not the
 * median of its hourly medians). Retention deletes whole UTC days, and a run
 * only re-reads days from its start on, so once a day's raw probes are gone
 * its daily and hourly buckets are final, never rebuilt from coarser data.
 *
 * The work is cut into mirror-days, day by day, yielding to the event loop
 * between slices: a month of backfill never holds the process for more than
 * one slice. A pass resumes after a restart at the day of the newest hourly
 * bucket, which it redoes whole for every mirror (upserts are idempotent).
 *
 * Not a Nest provider: in the product a pass runs on its own thread with its
 * own connection (job-thread/rollup.worker.ts), since on SQLite every
 * statement blocks the thread that issues it, yields or not.
 */
export class RollupJobService {
  constructor(
    private readonly config: Pick<AppConfig, 'rawProbeRetentionDays'>,
    private readonly rollups: RollupRepository,
    private readonly probes: ProbeRepository,
    private readonly progress: CatchUpReporter,
  ) {}

  async run(now: Date = new Date(), signal?: AbortSignal): Promise<RollupRunResult> {
    const filter = MAIN_PROBE_FILTER;
    const [newestHourly, oldestRaw, mirrorIds] = await Promise.all([
      this.rollups.latestBucketStart('hour'),
      this.probes.oldestStartedAt(),
      this.rollups.mirrorIds(),
    ]);
    const from = rollupStart(newestHourly, oldestRaw, now);
    const days = dayStarts(from, now);
    let hourBuckets = 0;
    let dayBuckets = 0;
    let deletedProbes = 0;
    this.progress.begin(from, days.length, days.length * mirrorIds.length);
    try {
      for (const day of days) {
        for (const mirrorId of mirrorIds) {
          if (signal?.aborted) return { from, hourBuckets, dayBuckets, deletedProbes, aborted: true };
          const written = await this.rollups.rollUpMirrorDay(mirrorId, day, filter, yieldToEventLoop);
          hourBuckets += written.hourBuckets;
          dayBuckets += written.dayBuckets;
          this.progress.advance();
          await yieldToEventLoop();
        }
      }
      deletedProbes = await deleteInBatches(this.probes, retentionCutoff(now, this.config.rawProbeRetentionDays), signal);
      return { from, hourBuckets, dayBuckets, deletedProbes, aborted: signal?.aborted ?? false };
    } finally {
      this.progress.finish();
    }
  }
}
