import { Injectable } from '@nestjs/common';
import { ProbeRepository, type SuccessCounts } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { bucketStart, nextBucketStart } from '@mirrorwatch/scoring';
import { MAIN_PROBE_FILTER } from '#infrastructure/configuration/probed-image.js';
import { boundedRawStart } from './catch-up-progress.js';

/**
 * One vantage's probe and success counts of the main image per mirror over a
 * window, as the ranking (24 h), a vantage view (24 h) and the status page
 * (today) need them, without grouping
 * a day of raw rows (144,000 at 100 mirrors, a stall on the synchronous
 * SQLite driver) on every probe cycle: whole hours before the newest hourly
 * rollup come from the rollups (every hour before the newest is complete:
 * a pass rolls up through "now"), the window's first partial hour and the
 * hours since the newest rollup from raw probes through the startedAt index.
 */
@Injectable()
export class WindowCountsReader {
  constructor(
    private readonly probes: ProbeRepository,
    private readonly rollups: RollupRepository,
  ) {}

  /**
   * Counts of probes started in [from, to); `to` null: no upper bound (the
   * ranking's "since"). Where the rollups lag by more than RAW_READ_SPAN_MS
   * (a backfill, before the first pass), only that span's raw probes count.
   */
  async countsBetween(vantageId: string, from: Date, to: Date | null, now: Date): Promise<Map<string, SuccessCounts>> {
    const filter = { ...MAIN_PROBE_FILTER, vantageId };
    // This vantage's newest bucket: the job rolls every vantage in one pass, but an agent may have gone quiet.
    const newest = await this.rollups.latestBucketStart('hour', vantageId);
    const firstWholeHour =
      from.getTime() === bucketStart('hour', from).getTime() ? from : nextBucketStart('hour', bucketStart('hour', from));
    const rolledUntil = newest && newest > firstWholeHour ? (to && to < newest ? to : newest) : null;
    // The raw-read bound counts back from now, not from a window end in the future (today's cell ends at midnight).
    const end = to && to < now ? to : now;
    const parts: Promise<Map<string, SuccessCounts>>[] = [];
    if (rolledUntil) {
      // The window's first partial hour: under an hour of raw probes.
      const edgeEnd = to && to < firstWholeHour ? to : firstWholeHour;
      if (from < edgeEnd) parts.push(this.probes.successCountsBetween(from, edgeEnd, filter));
      parts.push(this.rollups.sumCounts('hour', firstWholeHour, rolledUntil, vantageId));
      if (!to || rolledUntil < to) parts.push(this.probes.successCountsBetween(boundedRawStart(rolledUntil, end), to, filter));
    } else if (!to || from < to) {
      parts.push(this.probes.successCountsBetween(boundedRawStart(from, end), to, filter));
    }
    const result = new Map<string, SuccessCounts>();
    for (const part of await Promise.all(parts)) {
      for (const [mirrorId, counts] of part) {
        const sum = result.get(mirrorId) ?? { probes: 0, successes: 0 };
        result.set(mirrorId, { probes: sum.probes + counts.probes, successes: sum.successes + counts.successes });
      }
    }
    return result;
  }
}
