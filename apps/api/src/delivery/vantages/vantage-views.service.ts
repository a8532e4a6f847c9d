import { Inject, Injectable, Logger } from '@nestjs/common';
import type { MirrorSummaryDto, VantageMatrixDto } from '@mirrorwatch/api-types';
import { byCodeUnits, type MirrorStatus } from '@mirrorwatch/domain';
import { DEFAULT_RECOMMEND_POLICY, type RecommendPolicy } from '@mirrorwatch/scoring';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { VantageByCidr } from '#infrastructure/configuration/vantage-by-cidr.js';
import { AgentResultRepository, type VantageMirrorStateRecord } from '#infrastructure/persistence/agent-result.repository.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { VantageRepository, type VantageRecord } from '#infrastructure/persistence/vantage.repository.js';
import { buildUpstreamRankings } from '#ranking/upstream-rankings.js';
import { rankedRecommendations, type RecommendationSource } from '#ranking/recommendation-source.js';
import { MirrorFactsReader } from '#ranking/mirror-facts.reader.js';
import type { MirrorFacts } from '#ranking/mirror-facts.js';
import { RankingService } from '#ranking/ranking.service.js';
import { PublishedRecommendations } from '#ranking/published-recommendations.js';
import { RecommendationRepository } from '#infrastructure/persistence/recommendation.repository.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { ProbeCycleEvents } from '#probing/probe-cycle-events.js';
import { AgentResultsFeed } from '#probing/ingestion/agent-results-feed.js';
import { VantageFactsReader } from './vantage-facts.reader.js';

/** A vantage's public ranking, its stable recommendation, and what every export reads from them. */
interface VantageView {
  builtAt: number;
  /** The agent-results generation it was built from: results stored since make it out of date at once. */
  stateGeneration: number;
  summaries: MirrorSummaryDto[];
  source: RecommendationSource;
}

/** How long the list of live vantages is reused: a revoked vantage leaves the exports within this time. */
const LIVE_LIST_TTL_MS = 5_000;

/** Shortest time between two rebuilds of one vantage's view: agents report all the time, fleets read all the time. */
const MIN_VIEW_AGE_MS = 1_000;

/**
 * Rankings, recommendations and statuses per vantage. The local vantage is
 * RankingService's own (built once per probe cycle); a remote vantage's view
 * is built from its agents' stored results on demand and kept for a quarter
 * of the probe interval, so a fleet asking every second costs one build.
 * A remote vantage's recommended lists are kept like the local ones
 * (PublishedRecommendations): the scheduler's replica decides and stores them,
 * the others serve what is stored, so every replica serves the same list and
 * a restart resumes from it. After each light cycle the scheduler rebuilds
 * every live vantage's view, so the stored lists follow the agents' results
 * even when no request reaches the scheduler's replica.
 */
@Injectable()
export class VantageViewsService {
  private readonly logger = new Logger(VantageViewsService.name);
  private readonly views = new Map<string, VantageView>();
  private readonly published = new Map<string, PublishedRecommendations>();
  private refreshing = false;
  /**
   * Builds under way, with the agents' results generation each started under: a request after
   * newer results were stored must not be handed a build that cannot contain them.
   */
  private readonly building = new Map<string, { stateGeneration: number; view: Promise<VantageView> }>();
  private readonly policy: RecommendPolicy;
  private readonly byCidr: VantageByCidr;
  private localFacts: { generation: number; facts: Promise<MirrorFacts[]> } | null = null;
  private stateGeneration = 0;
  private live: { readAt: number; list: Promise<VantageRecord[]> } | null = null;
  /** The ids of `live` once its read settled: what the export wire path resolves against without awaiting. */
  private liveIds: { list: Promise<VantageRecord[]>; ids: ReadonlySet<string> } | null = null;
  private remote: { generation: number; readAt: number; states: Promise<Map<string, Map<string, VantageMirrorStateRecord>>> } | null = null;
  /** Views built by this process: the generation of each remote source (export caches key on it). */
  private builds = 0;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ranking: RankingService,
    private readonly localReader: MirrorFactsReader,
    private readonly vantageFacts: VantageFactsReader,
    private readonly vantages: VantageRepository,
    private readonly results: AgentResultRepository,
    private readonly recommendations: RecommendationRepository,
    private readonly leadership: SchedulerLeadership,
    feed: AgentResultsFeed,
    cycles: ProbeCycleEvents,
  ) {
    feed.subscribe(() => (this.stateGeneration += 1));
    // Not awaited: the probe cycle must not wait for other networks' rankings.
    cycles.onCycleFinished(({ kind }) => {
      if (kind === 'light' && this.leadership.isLeader()) void this.refreshAll();
      return Promise.resolve();
    });
    this.policy = { ...DEFAULT_RECOMMEND_POLICY, latencyMargin: config.recommendationLatencyMargin };
    this.byCidr = new VantageByCidr(config.vantageByCidr);
  }

  /** Changes whenever the local ranking is rebuilt or an agent's results were stored in this process. */
  generation(): string {
    return `${this.ranking.generation()}.${this.stateGeneration}`;
  }

  /** Vantages that are not revoked, `local` included; read at most once per LIVE_LIST_TTL_MS (exports ask on every request). */
  liveVantages(): Promise<VantageRecord[]> {
    const now = Date.now();
    if (this.live === null || now - this.live.readAt > LIVE_LIST_TTL_MS) {
      const list = this.vantages.list().then((all) => all.filter((vantage) => vantage.revokedAt === null));
      list.then(
        (vantages) => (this.liveIds = { list, ids: new Set(vantages.map((vantage) => vantage.id)) }),
        () => (this.live = null),
      );
      this.live = { readAt: now, list };
    }
    return this.live.list;
  }

  private async isLive(vantageId: string): Promise<boolean> {
    return (await this.liveVantages()).some((vantage) => vantage.id === vantageId);
  }

  /**
   * The vantage a request is about: `?vantage=` when given (400 naming it when
   * unknown or revoked), else the one VANTAGE_BY_CIDR maps the client address
   * to (when it exists), else `local`.
   */
  async resolve(param: unknown, clientAddress: string | undefined): Promise<string> {
    if (param !== undefined) {
      if (typeof param !== 'string') throw new InvalidParameterException('vantage', 'must be given once, as a string');
      if (param === LOCAL_VANTAGE_ID) return param;
      if (!(await this.isLive(param)))
        throw new InvalidParameterException('vantage', `unknown vantage ${JSON.stringify(param.slice(0, 64))}`);
      return param;
    }
    const mapped = this.byCidr.vantageOf(clientAddress);
    if (mapped === null || mapped === LOCAL_VANTAGE_ID) return LOCAL_VANTAGE_ID;
    return (await this.isLive(mapped)) ? mapped : LOCAL_VANTAGE_ID;
  }

  /**
   * `resolve` for a request that must not wait (the export wire path): the
   * same answer when the live list it needs is in memory and current, else
   * null, and the caller takes the ordinary path (which reads the list and
   * answers the 400 for an unknown vantage).
   */
  resolveNow(param: string | undefined, clientAddress: string | undefined): string | null {
    if (param === LOCAL_VANTAGE_ID) return param;
    const mapped = param ?? this.byCidr.vantageOf(clientAddress);
    if (mapped === null || mapped === LOCAL_VANTAGE_ID) return LOCAL_VANTAGE_ID;
    const live = this.live;
    if (live === null || Date.now() - live.readAt > LIVE_LIST_TTL_MS || this.liveIds?.list !== live.list) return null;
    if (this.liveIds.ids.has(mapped)) return mapped;
    return param === undefined ? LOCAL_VANTAGE_ID : null;
  }

  /** `source` without waiting: a remote vantage's source when its view is current (as `view` would reuse it), else null. */
  sourceNow(vantageId: string): RecommendationSource | null {
    if (vantageId === LOCAL_VANTAGE_ID) return this.ranking.source('public');
    const current = this.views.get(vantageId);
    return current && this.isCurrent(current, Date.now()) ? current.source : null;
  }

  /** `/api/mirrors` rows as seen from `vantageId` (public mirrors only). */
  async summaries(vantageId: string): Promise<MirrorSummaryDto[]> {
    if (vantageId === LOCAL_VANTAGE_ID) return this.ranking.publicSummaries();
    return (await this.view(vantageId)).summaries;
  }

  /** What the exports read for a remote vantage (RankingService.source is the local one's). */
  async source(vantageId: string): Promise<RecommendationSource> {
    return (await this.view(vantageId)).source;
  }

  /**
   * Every remote vantage's state per mirror, live vantages only, in vantage id
   * order: vantage id -> mirror id -> state. Read again once this process
   * stored an agent's results, else at most once per LIVE_LIST_TTL_MS (another
   * replica's ingestion): /metrics and the status page ask on every scrape.
   */
  remoteStates(): Promise<Map<string, Map<string, VantageMirrorStateRecord>>> {
    const now = Date.now();
    const cached = this.remote;
    if (cached !== null && cached.generation === this.stateGeneration && now - cached.readAt <= LIVE_LIST_TTL_MS) return cached.states;
    const states = this.readRemoteStates();
    states.catch(() => (this.remote = null));
    this.remote = { generation: this.stateGeneration, readAt: now, states };
    return states;
  }

  private async readRemoteStates(): Promise<Map<string, Map<string, VantageMirrorStateRecord>>> {
    const live = new Set((await this.liveVantages()).map((vantage) => vantage.id));
    const result = new Map<string, Map<string, VantageMirrorStateRecord>>();
    // Vantages in id order, so every listing of them (status page, matrix) is stable.
    const states = (await this.results.states()).sort((a, b) => byCodeUnits(a.vantageId, b.vantageId));
    for (const state of states) {
      if (!live.has(state.vantageId)) continue;
      const perMirror = result.get(state.vantageId) ?? new Map<string, VantageMirrorStateRecord>();
      perMirror.set(state.mirrorId, state);
      result.set(state.vantageId, perMirror);
    }
    return result;
  }

  /** Public mirrors x live vantages, `local` first: the dashboard's matrix. */
  async matrix(): Promise<VantageMatrixDto> {
    const vantages = (await this.liveVantages()).sort((a, b) =>
      a.id === LOCAL_VANTAGE_ID ? -1 : b.id === LOCAL_VANTAGE_ID ? 1 : byCodeUnits(a.id, b.id),
    );
    const remote = await this.remoteStates();
    const mirrors = this.ranking.publicSummaries().map((summary) => ({
      id: summary.id,
      name: summary.name,
      cells: vantages.map((vantage) => {
        if (vantage.id === LOCAL_VANTAGE_ID) return { vantage: vantage.id, status: summary.status, lastProbeAt: summary.lastProbeAt };
        const state = remote.get(vantage.id)?.get(summary.id);
        return {
          vantage: vantage.id,
          status: (state?.status ?? 'unknown') as MirrorStatus,
          lastProbeAt: state?.lastProbeAt.toISOString() ?? null,
        };
      }),
    }));
    return { vantages: vantages.map(({ id, name }) => ({ id, name })), mirrors, downQuorum: this.config.downQuorum };
  }

  private view(vantageId: string): Promise<VantageView> {
    const now = Date.now();
    const current = this.views.get(vantageId);
    if (current && this.isCurrent(current, now)) return Promise.resolve(current);
    const inFlight = this.building.get(vantageId);
    if (inFlight && inFlight.stateGeneration === this.stateGeneration) return inFlight.view;
    const entry = { stateGeneration: this.stateGeneration, view: this.build(vantageId, new Date(now)) };
    entry.view.then(
      () => this.building.get(vantageId) === entry && this.building.delete(vantageId),
      () => this.building.get(vantageId) === entry && this.building.delete(vantageId),
    );
    this.building.set(vantageId, entry);
    return entry.view;
  }

  /** A view is reused for a share of the probe interval, and never once an agent's results were stored since it was built. */
  private isCurrent(view: VantageView, now: number): boolean {
    const maxAgeMs = Math.max(MIN_VIEW_AGE_MS, (this.config.probeIntervalSeconds * 1000) / 4);
    return view.stateGeneration === this.stateGeneration && now - view.builtAt < maxAgeMs;
  }

  /** The scheduler's step for remote vantages: each live one's view (and so its stored lists) brought up to date, one at a time. */
  private async refreshAll(): Promise<void> {
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      for (const vantage of await this.liveVantages()) if (vantage.id !== LOCAL_VANTAGE_ID) await this.view(vantage.id);
    } catch (error) {
      this.logger.warn({ msg: 'remote vantage rankings not refreshed', err: error instanceof Error ? error.message : String(error) });
    } finally {
      this.refreshing = false;
    }
  }

  /** One vantage's stored lists, read and written under its id (the local vantage's stay RankingService's). */
  private publishedFor(vantageId: string): PublishedRecommendations {
    let published = this.published.get(vantageId);
    if (published === undefined) {
      const repository = {
        loadAll: () => this.recommendations.loadAll(vantageId),
        saveChanged: (lists: Parameters<RecommendationRepository['saveChanged']>[0]) => this.recommendations.saveChanged(lists, vantageId),
      };
      published = new PublishedRecommendations(repository, this.policy, this.logger, ['public']);
      this.published.set(vantageId, published);
    }
    return published;
  }

  private async build(vantageId: string, now: Date): Promise<VantageView> {
    const stateGeneration = this.stateGeneration;
    const [local, states] = await Promise.all([this.local(now), this.remoteStates()]);
    const publicFacts = local.filter((fact) => fact.definition.visibility === 'public');
    const facts = await this.vantageFacts.read(vantageId, publicFacts, states.get(vantageId) ?? new Map(), now);
    // Ranked per upstream as the local vantage is: daemon.json gets dockerd-usable Docker Hub mirrors only.
    const { summaries, dockerd, byUpstream } = buildUpstreamRankings(facts);
    const published = this.publishedFor(vantageId);
    await published.refresh({ public: dockerd.ranked }, this.leadership.isLeader(), now);
    this.builds += 1;
    const source = rankedRecommendations({
      vantage: vantageId,
      cacheKey: `vantage:${vantageId}`,
      generation: String(this.builds),
      builtAt: now,
      dockerd: dockerd.ranked,
      byUpstream,
      book: (count) => published.get('public', count),
      minSavingMs: this.policy.minSavingMs,
    });
    const view = { builtAt: now.getTime(), stateGeneration, summaries, source };
    // A build from before newer results, finishing after the build that has them, does not replace it.
    const kept = this.views.get(vantageId);
    if (kept === undefined || kept.stateGeneration <= stateGeneration) this.views.set(vantageId, view);
    return view;
  }

  /** The local facts (catalog, freshness, coverage), read once per local ranking generation. */
  private local(now: Date): Promise<MirrorFacts[]> {
    const generation = this.ranking.generation();
    if (this.localFacts?.generation !== generation) {
      const facts = this.localReader.read(now);
      // A failed read is not kept: the next request tries again.
      facts.catch(() => (this.localFacts = null));
      this.localFacts = { generation, facts };
    }
    return this.localFacts.facts;
  }
}
