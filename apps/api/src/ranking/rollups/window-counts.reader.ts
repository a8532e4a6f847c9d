import { Injectable } from '@nestjs/common';
import { ProbeRepository, type ProbeFilter, type SuccessCounts } from '#infrastructure/persistence/probe.repository.js';
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
/**
 * Raw probes are counted a quarter of an hour per statement: one statement
 * runs uninterrupted on the synchronous SQLite driver, and counting the 3
 * hours of raw rows read while the rollups lag (a backfill) took 0.9-1 s of
 * the API thread in one go on a month's seed at a 6 s probe interval.
 */
const RAW_COUNT_SLICE_MS = 15 * 60_000;

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
      if (from < edgeEnd) parts.push(this.rawCounts(from, edgeEnd, filter, now));
      parts.push(this.rollups.sumCounts('hour', firstWholeHour, rolledUntil, vantageId));
      if (!to || rolledUntil < to) parts.push(this.rawCounts(boundedRawStart(rolledUntil, end), to, filter, now));
    } else if (!to || from < to) {
      parts.push(this.rawCounts(boundedRawStart(from, end), to, filter, now));
    }
    return addCounts(await Promise.all(parts));
  }

  /** Raw counts of [from, to) (to null: no upper bound), RAW_COUNT_SLICE_MS per statement; with no `to`, the slice that reaches past `now` is open-ended. */
  private async rawCounts(from: Date, to: Date | null, filter: ProbeFilter, now: Date): Promise<Map<string, SuccessCounts>> {
    const slices: Map<string, SuccessCounts>[] = [];
    let start = from;
    for (;;) {
      const sliceEnd = new Date(start.getTime() + RAW_COUNT_SLICE_MS);
      const last = to === null ? sliceEnd > now : sliceEnd >= to;
      // One after the other: each statement is a stretch of its own, requests are served between them.
      slices.push(await this.probes.successCountsBetween(start, last ? to : sliceEnd, filter));
      if (last) return addCounts(slices);
      start = sliceEnd;
    }
  }
}

function addCounts(parts: readonly Map<string, SuccessCounts>[]): Map<string, SuccessCounts> {
  const result = new Map<string, SuccessCounts>();
  for (const part of parts) {
    for (const [mirrorId, counts] of part) {
      const sum = result.get(mirrorId) ?? { probes: 0, successes: 0 };
      result.set(mirrorId, { probes: sum.probes + counts.probes, successes: sum.successes + counts.successes });
    }
  }
  return result;
}
