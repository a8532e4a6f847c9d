import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { RollupRedoDayRepository } from '#infrastructure/persistence/rollup-redo-day.repository.js';
import { MAIN_PROBE_FILTER } from '#infrastructure/configuration/probed-image.js';
import { retentionCutoff } from '@mirrorwatch/scoring';
import { deleteInBatches } from './batched-retention.js';
import type { CatchUpReporter } from './catch-up-progress.js';
import { DutyCycle } from './duty-cycle.js';
import { dayStarts, rollupStart } from './rollup-plan.js';
import { splitRedoDays } from './redo-days.js';

export interface RollupRunResult {
  from: Date;
  hourBuckets: number;
  dayBuckets: number;
  /** Recorded mirror-days (late agent results) redone before the regular days. */
  redoneDays: number;
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
 * The work is cut into mirror-days, day by day, and paced (DutyCycle): after
 * each slice, and after each retention batch, the pass rests in proportion to
 * the slice's wall time, so that it and the database work it causes are busy
 * at most `rollupBusyPercent` of the time. A backfill after downtime or an
 * upgrade takes longer for it, and serving keeps the machine's cores (issue
 * 16: on PostgreSQL the backend running the pass's queries competes at normal
 * priority whatever the pass's thread's own priority).
 *
 * A pass resumes after a restart at the day of the newest hourly
 * bucket, which it redoes whole for every mirror (upserts are idempotent).
 * Before that it redoes the mirror-days ingestion recorded because an agent's
 * result arrived after the day was over (RollupRedoDay): the resume point has
 * usually moved past them. A record is deleted only after its day is
 * rewritten, and only if no later result bumped it meanwhile.
 *
 * Not a Nest provider: in the product a pass runs on its own thread with its
 * own connection (job-thread/rollup.worker.ts), since on SQLite every
 * statement blocks the thread that issues it, yields or not.
 */
export class RollupJobService {
  constructor(
    private readonly config: Pick<AppConfig, 'rawProbeRetentionDays' | 'rollupBusyPercent'>,
    private readonly rollups: RollupRepository,
    private readonly probes: ProbeRepository,
    private readonly redoDays: RollupRedoDayRepository,
    private readonly progress: CatchUpReporter,
    private readonly pace: DutyCycle = new DutyCycle(config.rollupBusyPercent),
  ) {}

  async run(now: Date = new Date(), signal?: AbortSignal): Promise<RollupRunResult> {
    const filter = MAIN_PROBE_FILTER;
    const cutoff = retentionCutoff(now, this.config.rawProbeRetentionDays);
    // Read before any day is: a late result stored after this read bumps its record, which then outlives this pass.
    // The vantages once per pass, not once per mirror-day: a vantage enrolled meanwhile has only recent results,
    // which the next hourly pass rolls up (it redoes the newest day whole).
    const [newestHourly, oldestRaw, mirrorIds, recorded, vantageIds] = await Promise.all([
      this.rollups.latestBucketStart('hour'),
      this.probes.oldestStartedAt(),
      this.rollups.mirrorIds(),
      this.redoDays.list(),
      this.rollups.vantageIds(),
    ]);
    const from = rollupStart(newestHourly, oldestRaw, now);
    const days = dayStarts(from, now);
    const plan = splitRedoDays(recorded, { retainedFrom: cutoff, regularFrom: days[0] ?? null, mirrorIds });
    const counts = { hourBuckets: 0, dayBuckets: 0, redoneDays: 0, deletedProbes: 0 };
    const stopped = () => ({ from, ...counts, aborted: true });
    const rollUp = async (mirrorId: string, day: Date) => {
      const written = await this.pace.slice(() => this.rollups.rollUpMirrorDay(mirrorId, day, filter, vantageIds), signal);
      counts.hourBuckets += written.hourBuckets;
      counts.dayBuckets += written.dayBuckets;
      this.progress.advance();
    };
    this.progress.begin(from, days.length, plan.redo.length + days.length * mirrorIds.length);
    try {
      // Days before the raw retention cutoff are never rolled up again: their raw probes may be partly gone.
      if (plan.expired > 0) await this.redoDays.discardBefore(cutoff);
      for (const record of plan.redo) {
        if (signal?.aborted) return stopped();
        await rollUp(record.mirrorId, record.day);
        await this.redoDays.forget(record);
        counts.redoneDays += 1;
      }
      for (const day of days) {
        for (const mirrorId of mirrorIds) {
          if (signal?.aborted) return stopped();
          await rollUp(mirrorId, day);
        }
      }
      // Recorded days inside the regular range were just redone with the rest.
      for (const record of plan.covered) await this.redoDays.forget(record);
      counts.deletedProbes = await deleteInBatches(this.probes, cutoff, this.pace, signal);
      return { from, ...counts, aborted: signal?.aborted ?? false };
    } finally {
      this.progress.finish();
    }
  }
}
