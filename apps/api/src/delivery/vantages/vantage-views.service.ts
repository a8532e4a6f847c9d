import { Inject, Injectable } from '@nestjs/common';
import type { MirrorSummaryDto, VantageMatrixDto } from '@mirrorwatch/api-types';
import type { MirrorStatus } from '@mirrorwatch/domain';
import { DEFAULT_RECOMMEND_POLICY, type RankedMirror, type RecommendPolicy } from '@mirrorwatch/scoring';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { VantageByCidr } from '#infrastructure/configuration/vantage-by-cidr.js';
import { AgentResultRepository, type VantageMirrorStateRecord } from '#infrastructure/persistence/agent-result.repository.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { VantageRepository, type VantageRecord } from '#infrastructure/persistence/vantage.repository.js';
import { buildRanking } from '#ranking/build-ranking.js';
import { MirrorFactsReader } from '#ranking/mirror-facts.reader.js';
import type { MirrorFacts } from '#ranking/mirror-facts.js';
import { expectedPullMsFor, recommendedCountFor } from '#ranking/pull-cost.js';
import { RankingService } from '#ranking/ranking.service.js';
import { RecommendationBook, type RecommendedDocument } from '#ranking/recommendation-book.js';
import { AgentResultsFeed } from '#probing/ingestion/agent-results-feed.js';
import { VantageFactsReader } from './vantage-facts.reader.js';

/** A vantage's public ranking and its stable recommendation. */
interface VantageView {
  builtAt: number;
  summaries: MirrorSummaryDto[];
  ranked: RankedMirror[];
  book: RecommendationBook;
}

/** What a per-vantage export needs, the same shape for the local vantage and remote ones. */
export interface VantageRecommendation {
  vantage: string;
  document: RecommendedDocument;
  recommendedCount: number;
  expectedPullMs: number;
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
 * Recommendation incumbents of remote vantages live in this process's memory
 * (one replica's list may differ from another's after a restart, until the
 * ranking settles); the local vantage's are stored as before.
 */
@Injectable()
export class VantageViewsService {
  private readonly views = new Map<string, VantageView>();
  private readonly building = new Map<string, Promise<VantageView>>();
  private readonly policy: RecommendPolicy;
  private readonly byCidr: VantageByCidr;
  private localFacts: { generation: number; facts: Promise<MirrorFacts[]> } | null = null;
  private stateGeneration = 0;
  private live: { readAt: number; list: Promise<VantageRecord[]> } | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly ranking: RankingService,
    private readonly localReader: MirrorFactsReader,
    private readonly vantageFacts: VantageFactsReader,
    private readonly vantages: VantageRepository,
    private readonly results: AgentResultRepository,
    feed: AgentResultsFeed,
  ) {
    feed.subscribe(() => (this.stateGeneration += 1));
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
      list.catch(() => (this.live = null));
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

  /** `/api/mirrors` rows as seen from `vantageId` (public mirrors only). */
  async summaries(vantageId: string): Promise<MirrorSummaryDto[]> {
    if (vantageId === LOCAL_VANTAGE_ID) return this.ranking.publicSummaries();
    return (await this.view(vantageId)).summaries;
  }

  async recommendation(vantageId: string, countParam: (fallback: number) => number): Promise<VantageRecommendation> {
    if (vantageId === LOCAL_VANTAGE_ID) {
      const recommendedCount = this.ranking.recommendedCount('public');
      const document = this.ranking.publicRecommendation(countParam(recommendedCount));
      return { vantage: vantageId, document, recommendedCount, expectedPullMs: this.ranking.expectedPullMs('public', document.mirrors) };
    }
    const view = await this.view(vantageId);
    const recommendedCount = recommendedCountFor(view.ranked, this.policy.minSavingMs);
    const document = view.book.get(countParam(recommendedCount));
    return { vantage: vantageId, document, recommendedCount, expectedPullMs: expectedPullMsFor(view.ranked, document.mirrors) };
  }

  /** Every remote vantage's state per mirror, live vantages only, in vantage id order: vantage id -> mirror id -> state. */
  async remoteStates(): Promise<Map<string, Map<string, VantageMirrorStateRecord>>> {
    const live = new Set((await this.liveVantages()).map((vantage) => vantage.id));
    const result = new Map<string, Map<string, VantageMirrorStateRecord>>();
    // Vantages in id order, so every listing of them (status page, matrix) is stable.
    const states = (await this.results.states()).sort((a, b) => a.vantageId.localeCompare(b.vantageId));
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
      a.id === LOCAL_VANTAGE_ID ? -1 : b.id === LOCAL_VANTAGE_ID ? 1 : a.id.localeCompare(b.id),
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
    const maxAgeMs = Math.max(MIN_VIEW_AGE_MS, (this.config.probeIntervalSeconds * 1000) / 4);
    if (current && now - current.builtAt < maxAgeMs) return Promise.resolve(current);
    const inFlight = this.building.get(vantageId);
    if (inFlight) return inFlight;
    const build = this.build(vantageId, current ?? null, new Date(now)).finally(() => this.building.delete(vantageId));
    this.building.set(vantageId, build);
    return build;
  }

  private async build(vantageId: string, previous: VantageView | null, now: Date): Promise<VantageView> {
    const [local, states] = await Promise.all([this.local(now), this.remoteStates()]);
    const publicFacts = local.filter((fact) => fact.definition.visibility === 'public');
    const facts = await this.vantageFacts.read(vantageId, publicFacts, states.get(vantageId) ?? new Map(), now);
    const { summaries, ranked } = buildRanking(facts);
    const book = previous?.book ?? new RecommendationBook(this.policy);
    book.update(ranked, now);
    const view = { builtAt: now.getTime(), summaries, ranked, book };
    this.views.set(vantageId, view);
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
