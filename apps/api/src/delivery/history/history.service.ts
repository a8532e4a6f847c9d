import { Injectable } from '@nestjs/common';
import type { HistoryWindow, MirrorHistoryDto } from '@mirrorwatch/api-types';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { nextBucketStart } from '@mirrorwatch/scoring';
import { boundedRawStart } from '#ranking/rollups/catch-up-progress.js';
import { MAIN_PROBE_FILTER } from '#infrastructure/configuration/probed-image.js';
import { buildHistoryBuckets, type HistorySources } from './history-buckets.js';
import { HISTORY_WINDOW_SPECS, historyGrid, type HistoryGrid } from './history-grid.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

/** Only the main image counts, as in the ranking: the allowlist check probes another repository. */
const MAIN_IMAGE = MAIN_PROBE_FILTER;

@Injectable()
export class HistoryService {
  constructor(
    private readonly probes: ProbeRepository,
    private readonly rollups: RollupRepository,
  ) {}

  /** One vantage's probes of one mirror (default local: this server's), bucketed over the window. */
  async history(
    mirrorId: string,
    window: HistoryWindow,
    vantageId: string = LOCAL_VANTAGE_ID,
    now: Date = new Date(),
  ): Promise<MirrorHistoryDto> {
    const grid = historyGrid(window, now);
    const spec = HISTORY_WINDOW_SPECS[window];
    const sources =
      spec.source === 'raw'
        ? await this.rawSources(mirrorId, vantageId, grid.from, grid.to)
        : await this.rollupSources(mirrorId, vantageId, grid);
    return {
      mirrorId,
      vantage: vantageId,
      window,
      bucketSeconds: spec.bucketSeconds,
      from: grid.from.toISOString(),
      to: grid.to.toISOString(),
      buckets: buildHistoryBuckets(grid, sources),
    };
  }

  private async rawSources(mirrorId: string, vantageId: string, from: Date, to: Date): Promise<HistorySources> {
    // One vantage's probes only, as the rollups are kept per vantage: another network's failures are not this one's.
    const probes = await this.probes.between(mirrorId, from, to, { ...MAIN_IMAGE, vantageId });
    // A failure stored without a class counts as 'internal', as in the rollups: never dropped.
    const failures = probes.flatMap((probe) =>
      probe.ok ? [] : [{ startedAt: probe.startedAt, failureClass: probe.failureClass ?? 'internal' }],
    );
    return { probes, rollups: [], failures };
  }

  /**
   * Hourly rollups up to the newest one of this mirror, raw probes from its
   * start on: the rollup job runs once an hour, so the newest rollup may be
   * of a half-finished hour and the hours after it are not rolled up yet.
   * When no raw probe is left in that newest hour (retention deletes whole
   * UTC days, e.g. of a mirror that stopped being probed), its rollup is used.
   * Rollups carry their own phase medians and failure counts, so both outlive
   * raw-probe retention; raw failures are read only where raw probes are.
   */
  private async rollupSources(mirrorId: string, vantageId: string, grid: HistoryGrid): Promise<HistorySources> {
    const hourly = await this.rollups.list(mirrorId, 'hour', grid.from, vantageId);
    const newest = hourly[hourly.length - 1];
    // Where rollups lag (a backfill), raw reads cover the last hours only (a month of raw rows per request otherwise).
    const rawFrom = (start: Date) => boundedRawStart(start, grid.to);
    if (!newest) return this.rawSources(mirrorId, vantageId, rawFrom(grid.from), grid.to);
    const raw = await this.rawSources(mirrorId, vantageId, rawFrom(newest.bucketStart), grid.to);
    const newestHourEnd = nextBucketStart('hour', newest.bucketStart);
    const newestHourIsRaw = raw.probes.some((probe) => probe.startedAt < newestHourEnd);
    return { ...raw, rollups: newestHourIsRaw ? hourly.slice(0, -1) : hourly };
  }
}
