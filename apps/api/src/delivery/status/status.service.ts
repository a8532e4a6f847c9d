import { upstreamOf } from '@mirrorwatch/domain';
import { Inject, Injectable } from '@nestjs/common';
import { overallStatus, STATUS_DAYS, STATUS_PAST_INCIDENTS_MAX, type StatusMirrorDto, type StatusSummaryDto } from '@mirrorwatch/api-types';
import { KeyedMemo } from '#infrastructure/http/keyed-memo.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { IncidentRepository } from '#infrastructure/persistence/incident.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { toIncidentDto } from '../incidents/incident-dto.mapper.js';
import { PublicMirrorResolver } from '../mirrors/public-mirror.resolver.js';
import { RankingService } from '#ranking/ranking.service.js';
import { WindowCountsReader } from '#ranking/rollups/window-counts.reader.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { quorumStatus } from '@mirrorwatch/scoring';
import { VantageViewsService } from '../vantages/vantage-views.service.js';
import { dailyCells, overallUptime, packDailyCells, utcDayStart, type DayCount } from './daily-cells.js';
import { mapBounded } from '#infrastructure/persistence/bounded-fan-out.js';

const DAY_MS = 86_400_000;

/** The public status page in one response: public mirrors only, 90 daily cells each, incidents. */
@Injectable()
export class StatusService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mirrors: PublicMirrorResolver,
    private readonly ranking: RankingService,
    private readonly rollups: RollupRepository,
    private readonly windowCounts: WindowCountsReader,
    private readonly incidents: IncidentRepository,
    private readonly views: VantageViewsService,
  ) {}

  private readonly memo = new KeyedMemo<StatusSummaryDto>();

  /**
   * What `GET /api/status` serves: its inputs change when a probe cycle ends
   * (the ranking is rebuilt then, after incidents and states were written)
   * and when the UTC day turns, so it is computed once per ranking generation
   * and day rather than per visitor.
   */
  cachedSummary(now: Date = new Date()): Promise<StatusSummaryDto> {
    return this.memo.get(`${this.views.generation()}:${utcDayStart(now).toISOString()}`, () => this.summary(now));
  }

  async summary(now: Date = new Date()): Promise<StatusSummaryDto> {
    const mirrors = await this.mirrors.listPublic();
    const ids = mirrors.map((mirror) => mirror.id);
    const first = utcDayStart(now, STATUS_DAYS - 1);
    const [counts, incidents, remote] = await Promise.all([
      this.dayCounts(ids, first, now),
      this.incidents.listSince(first),
      this.views.remoteStates(),
    ]);
    const summaries = new Map(this.ranking.publicSummaries().map((summary) => [summary.id, summary]));
    const names = new Map(mirrors.map((mirror) => [mirror.id, mirror.name]));
    const publicIncidents = incidents.filter((incident) => names.has(incident.mirrorId));

    const rows = mirrors.map((mirror): StatusMirrorDto => {
      const daily = dailyCells(
        now,
        STATUS_DAYS,
        counts.get(mirror.id) ?? [],
        publicIncidents.filter((incident) => incident.mirrorId === mirror.id),
      );
      const summary = summaries.get(mirror.id);
      const vantages = [
        { vantage: LOCAL_VANTAGE_ID, status: summary?.status ?? 'unknown', lastProbeAt: summary?.lastProbeAt ?? null },
        ...[...remote].map(([vantage, states]) => {
          const state = states.get(mirror.id);
          return { vantage, status: state?.status ?? 'unknown', lastProbeAt: state?.lastProbeAt.toISOString() ?? null };
        }),
      ];
      return {
        id: mirror.id,
        name: mirror.name,
        upstream: upstreamOf(mirror),
        provider: mirror.provider,
        // Down only when DOWN_QUORUM vantages agree; each vantage's own view is listed beside it.
        status: quorumStatus(
          vantages.map((cell) => cell.status),
          this.config.downQuorum,
        ),
        vantages,
        lastProbeAt: summary?.lastProbeAt ?? null,
        uptime: overallUptime(daily),
        daily: packDailyCells(daily),
      };
    });
    const checked = rows.flatMap((row) => (row.lastProbeAt ? [row.lastProbeAt] : [])).sort();
    const dto = (incident: (typeof publicIncidents)[number]) => toIncidentDto(incident, names.get(incident.mirrorId) ?? incident.mirrorId);
    return {
      generatedAt: now.toISOString(),
      overall: overallStatus(rows.map((row) => row.status)),
      lastCheckedAt: checked[checked.length - 1] ?? null,
      days: STATUS_DAYS,
      mirrors: rows,
      ongoingIncidents: publicIncidents.filter((incident) => incident.endedAt === null).map(dto),
      pastIncidents: publicIncidents
        .filter((incident) => incident.endedAt !== null)
        .slice(0, STATUS_PAST_INCIDENTS_MAX)
        .map(dto),
    };
  }

  /**
   * Probe counts per mirror and UTC day: daily rollups for the days before
   * the newest rolled-up day, then each remaining day (the newest daily
   * rollup may be of an unfinished day) from hourly rollups and the raw
   * probes since the newest of them (WindowCountsReader). Without any rollup
   * yet, back to the retention horizon. The local vantage's probes only: the
   * cells are this server's history, as the incidents beside them are.
   */
  private async dayCounts(ids: readonly string[], first: Date, now: Date): Promise<Map<string, DayCount[]>> {
    const vantageId = LOCAL_VANTAGE_ID;
    const newestRolled = await this.rollups.latestBucketStart('day', vantageId);
    const retentionHorizon = utcDayStart(now, this.config.rawProbeRetentionDays);
    const rawFrom = new Date(Math.max(first.getTime(), (newestRolled ?? retentionHorizon).getTime()));
    const rolled = await this.rollups.listForMirrors(ids, 'day', first, rawFrom, vantageId);
    const result = new Map<string, DayCount[]>();
    const add = (mirrorId: string, count: DayCount) => result.set(mirrorId, [...(result.get(mirrorId) ?? []), count]);
    for (const rollup of rolled) add(rollup.mirrorId, { day: rollup.bucketStart, probes: rollup.probes, successes: rollup.successes });

    const wanted = new Set(ids);
    const days: Date[] = [];
    for (let day = rawFrom.getTime(); day <= now.getTime(); day += DAY_MS) days.push(new Date(day));
    // A few days at a time: while the rollups lag that is a raw read per day, and a visitor's read must not queue behind them all.
    const perDay = await mapBounded(days, (day) => this.windowCounts.countsBetween(vantageId, day, new Date(day.getTime() + DAY_MS), now));
    days.forEach((day, index) => {
      for (const [mirrorId, counts] of perDay[index] ?? []) if (wanted.has(mirrorId)) add(mirrorId, { day, ...counts });
    });
    return result;
  }
}
