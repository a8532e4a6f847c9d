import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_RECOMMEND_POLICY, type RankedMirror, type RecommendPolicy } from '@mirrorwatch/scoring';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';
import { MirrorFactsReader } from './mirror-facts.reader.js';
import { buildUpstreamRankings, type RankedEndpoint } from './upstream-rankings.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { rankedRecommendations, type RecommendationSource } from './recommendation-source.js';
import { RecommendationRepository } from '#infrastructure/persistence/recommendation.repository.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { ProbeCycleEvents } from '#probing/probe-cycle-events.js';
import { PublishedRecommendations } from './published-recommendations.js';
import { ProbeWindowsService } from './windows/probe-windows.service.js';
import type { RecommendationScope } from '#infrastructure/persistence/recommendation.repository.js';

/**
 * The ranking and the recommendations, computed once per probe cycle (a
 * follower: once per interval) and served from memory: `/api/mirrors` and
 * `recommended-daemon.json` never touch the database on the request path.
 */
@Injectable()
export class RankingService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RankingService.name);
  private summaries: MirrorSummaryDto[] = [];
  private readonly recommendations: PublishedRecommendations;
  private rebuilding: Promise<void> = Promise.resolve();
  /** Admin views: private mirrors ranked beside the public ones (never served publicly). */
  private adminSummaryList: MirrorSummaryDto[] = [];
  private latestProbeList: ProbeRecord[] = [];
  private builtAt: Date | null = null;
  private generationCount = 0;
  private ranked: Record<RecommendationScope, readonly RankedMirror[]> = { public: [], admin: [] };
  private upstreamRanked: Record<RecommendationScope, ReadonlyMap<string, readonly RankedEndpoint[]>> = {
    public: new Map(),
    admin: new Map(),
  };
  private readonly policy: RecommendPolicy;
  private readonly sources: Partial<Record<RecommendationScope, RecommendationSource>> = {};

  constructor(
    private readonly facts: MirrorFactsReader,
    private readonly leadership: SchedulerLeadership,
    repository: RecommendationRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    cycles: ProbeCycleEvents,
    private readonly windows: ProbeWindowsService,
  ) {
    this.policy = { ...DEFAULT_RECOMMEND_POLICY, latencyMargin: config.recommendationLatencyMargin };
    this.recommendations = new PublishedRecommendations(repository, this.policy, this.logger);
    // Probing announces each finished cycle; the ranking follows it (probing never calls up).
    cycles.onCycleFinished(() => this.rebuild());
  }

  /**
   * Serve what the database already knows right away, instead of an empty
   * list until the first cycle ends; the port opens after it. The leader's
   * probe windows load once it is built, not beside it.
   */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.rebuild();
    } finally {
      this.windows.startUpFinished();
    }
  }

  /**
   * Rebuilds the ranking from the database. Runs one at a time: light and deep
   * cycles both end here, and two overlapping rebuilds could store an older
   * list over a newer one.
   */
  rebuild(now: Date = new Date()): Promise<void> {
    const run = this.rebuilding.then(() => this.rebuildOnce(now));
    this.rebuilding = run.catch(() => undefined);
    return run;
  }

  private async rebuildOnce(now: Date): Promise<void> {
    const facts = await this.facts.read(now);
    // Private mirrors (a personal accelerator URL) never reach public output,
    // not even as a gap in the public ranks.
    // Each upstream is ranked on its own; the recommendation books (daemon.json) rank what dockerd can use.
    const publicRankings = buildUpstreamRankings(facts.filter((fact) => fact.definition.visibility === 'public'));
    const fullRankings = buildUpstreamRankings(facts);
    const publicRanking = publicRankings.dockerd;
    const fullRanking = fullRankings.dockerd;
    this.summaries = publicRankings.summaries;
    this.adminSummaryList = fullRankings.summaries;
    this.upstreamRanked = { public: publicRankings.byUpstream, admin: fullRankings.byUpstream };
    this.latestProbeList = facts.flatMap((fact) =>
      [fact.latestByKind.light, fact.latestByKind.deep].filter((probe): probe is ProbeRecord => probe !== null),
    );
    this.ranked = { public: publicRanking.ranked, admin: fullRanking.ranked };
    await this.recommendations.refresh({ public: publicRanking.ranked, admin: fullRanking.ranked }, this.leadership.isLeader(), now);
    this.builtAt = now;
    this.generationCount += 1;
    this.logger.debug({ msg: 'ranking rebuilt', mirrors: this.summaries.length });
  }

  publicSummaries(): MirrorSummaryDto[] {
    return this.summaries;
  }

  /** Mirrors the last rebuild left out of the recommendations for a URL dockerd would refuse. */
  skippedRecommendationMirrors(): number {
    return this.recommendations.skippedMirrors();
  }

  /** Every mirror, private ones included: admin API only. */
  adminSummaries(): MirrorSummaryDto[] {
    return this.adminSummaryList;
  }

  /**
   * The latest stored probe per enabled mirror and kind, private mirrors
   * included (metrics label them by id only): /metrics' per-probe series,
   * the same on every replica because they come from the database.
   */
  latestProbes(): readonly ProbeRecord[] {
    return this.latestProbeList;
  }

  /** What the exports read for one scope of the local vantage; the same object until the next rebuild. */
  source(scope: RecommendationScope): RecommendationSource {
    const cached = this.sources[scope];
    if (cached?.generation === String(this.generationCount)) return cached;
    const source = rankedRecommendations({
      vantage: LOCAL_VANTAGE_ID,
      cacheKey: scope,
      generation: String(this.generationCount),
      builtAt: this.builtAt,
      dockerd: this.ranked[scope],
      byUpstream: this.upstreamRanked[scope],
      book: (count) => this.recommendations.get(scope, count),
      minSavingMs: this.policy.minSavingMs,
    });
    this.sources[scope] = source;
    return source;
  }

  /** Increases on every rebuild: caches of rendered exports key on it. */
  generation(): number {
    return this.generationCount;
  }

  lastBuiltAt(): Date | null {
    return this.builtAt;
  }
}
