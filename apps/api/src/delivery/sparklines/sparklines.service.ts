import { Injectable } from '@nestjs/common';
import type { SparklinesDto } from '@mirrorwatch/api-types';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { buildHistoryBuckets } from '../history/history-buckets.js';
import { MAIN_PROBE_FILTER } from '#infrastructure/configuration/probed-image.js';
import { boundedRawStart } from '#ranking/rollups/catch-up-progress.js';
import { mapBounded } from '#infrastructure/persistence/bounded-fan-out.js';
import { KeyedMemo } from '#infrastructure/http/keyed-memo.js';
import { RankingService } from '#ranking/ranking.service.js';
import { PublicMirrorResolver } from '../mirrors/public-mirror.resolver.js';
import { sparklineGrid, toSparkline } from './sparkline-buckets.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

/**
 * Only the main image counts, as in the ranking and history (the allowlist
 * check probes another repository), and only this server's probes: the
 * ranking table's sparklines are the local vantage's, as its rows are.
 */
const LOCAL_MAIN_IMAGE = { ...MAIN_PROBE_FILTER, vantageId: LOCAL_VANTAGE_ID };

/**
 * Every public mirror's last 24 hours for the ranking table, in one response.
 * Hours already rolled up come from the hourly rollups (one query for all
 * mirrors); the hours after the newest rollup (the rollup job runs hourly, so
 * its newest hour may be unfinished) come from raw probes, a few dozen rows
 * per mirror.
 */
@Injectable()
export class SparklinesService {
  constructor(
    private readonly mirrors: PublicMirrorResolver,
    private readonly probes: ProbeRepository,
    private readonly rollups: RollupRepository,
    private readonly ranking: RankingService,
  ) {}

  private readonly memo = new KeyedMemo<SparklinesDto>();

  /** What `GET /api/sparklines` serves: recomputed when a probe cycle has rebuilt the ranking or the hourly grid moved, not per visitor. */
  cachedSparklines(now: Date = new Date()): Promise<SparklinesDto> {
    return this.memo.get(`${this.ranking.generation()}:${sparklineGrid(now).from.toISOString()}`, () => this.sparklines(now));
  }

  async sparklines(now: Date = new Date()): Promise<SparklinesDto> {
    const grid = sparklineGrid(now);
    const ids = (await this.mirrors.listPublic()).map((mirror) => mirror.id);
    const newestRolled = await this.rollups.latestBucketStart('hour', LOCAL_VANTAGE_ID);
    const rawFrom = boundedRawStart(new Date(Math.max(grid.from.getTime(), newestRolled?.getTime() ?? grid.from.getTime())), grid.to);
    const [rolled, raw] = await Promise.all([
      this.rollups.listForMirrors(ids, 'hour', grid.from, rawFrom, LOCAL_VANTAGE_ID),
      // A few at a time: a visitor's read must not queue behind a hundred of these in the connection pool.
      mapBounded(ids, (id) => this.probes.between(id, rawFrom, grid.to, LOCAL_MAIN_IMAGE)),
    ]);
    const result: SparklinesDto = {};
    ids.forEach((id, index) => {
      const rollups = rolled.filter((rollup) => rollup.mirrorId === id);
      const buckets = buildHistoryBuckets(grid, { probes: raw[index] ?? [], rollups, failures: [] });
      result[id] = toSparkline(buckets);
    });
    return result;
  }
}
