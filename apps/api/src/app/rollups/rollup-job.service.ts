import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { ProbeRepository } from '../../services/persistence/probe.repository.js';
import { RollupRepository } from '../../services/persistence/rollup.repository.js';
import { bucketStart } from '../../services/persistence/rollup-buckets.js';
import { PROBED_REPOSITORY } from '../probing/probed-image.js';
import { dayChunks, retentionCutoff, rollupStart } from './rollup-plan.js';

export interface RollupRunResult {
  from: Date;
  hourBuckets: number;
  dayBuckets: number;
  deletedProbes: number;
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
 */
@Injectable()
export class RollupJobService {
  private readonly logger = new Logger(RollupJobService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rollups: RollupRepository,
    private readonly probes: ProbeRepository,
  ) {}

  async run(now: Date = new Date()): Promise<RollupRunResult> {
    const filter = { repository: PROBED_REPOSITORY };
    const [newestHourly, oldestRaw] = await Promise.all([this.rollups.latestBucketStart('hour'), this.probes.oldestStartedAt()]);
    const from = rollupStart(newestHourly, oldestRaw, now);
    let hourBuckets = 0;
    let dayBuckets = 0;
    for (const chunk of dayChunks(from, now)) {
      hourBuckets += await this.rollups.rollUp('hour', chunk.from, chunk.to, filter);
      // The whole day is re-read: its daily bucket is recomputed from all of that day's raw probes.
      dayBuckets += await this.rollups.rollUp('day', bucketStart('day', chunk.from), chunk.to, filter);
    }
    const deletedProbes = await this.probes.deleteOlderThan(retentionCutoff(now, this.config.rawProbeRetentionDays));
    const result = { from, hourBuckets, dayBuckets, deletedProbes };
    this.logger.log({ msg: 'probe rollup finished', from: from.toISOString(), hourBuckets, dayBuckets, deletedProbes });
    return result;
  }
}
