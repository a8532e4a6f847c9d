import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_RECOMMEND_POLICY } from '@mirrorwatch/scoring';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { MirrorFactsReader } from './mirror-facts.reader.js';
import { buildRanking } from './build-ranking.js';
import { RecommendationBook, type RecommendedDocument } from './recommendation-book.js';

/**
 * The ranking and the recommendations, computed once per probe cycle and
 * served from memory: `/api/mirrors` and `recommended-daemon.json` never touch
 * the database on the request path.
 */
@Injectable()
export class RankingService implements OnApplicationBootstrap {
  private readonly logger = new Logger(RankingService.name);
  private summaries: MirrorSummaryDto[] = [];
  private readonly publicBook: RecommendationBook;
  /** Admin views: private mirrors ranked beside the public ones (never served publicly). */
  private adminSummaryList: MirrorSummaryDto[] = [];
  private readonly adminBook: RecommendationBook;
  private builtAt: Date | null = null;
  private generationCount = 0;

  constructor(
    private readonly facts: MirrorFactsReader,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    const policy = { ...DEFAULT_RECOMMEND_POLICY, latencyMargin: config.recommendationLatencyMargin };
    this.publicBook = new RecommendationBook(policy);
    this.adminBook = new RecommendationBook(policy);
  }

  /** Serve what the database already knows right away, instead of an empty list until the first cycle ends. */
  async onApplicationBootstrap(): Promise<void> {
    await this.rebuild();
  }

  async rebuild(now: Date = new Date()): Promise<void> {
    const facts = await this.facts.read(now);
    // Private mirrors (a personal accelerator URL) never reach public output,
    // not even as a gap in the public ranks.
    const publicRanking = buildRanking(facts.filter((fact) => fact.definition.visibility === 'public'));
    this.summaries = publicRanking.summaries;
    this.publicBook.update(publicRanking.ranked, now);
    const fullRanking = buildRanking(facts);
    this.adminSummaryList = fullRanking.summaries;
    this.adminBook.update(fullRanking.ranked, now);
    this.builtAt = now;
    this.generationCount += 1;
    this.logger.debug({ msg: 'ranking rebuilt', mirrors: this.summaries.length });
  }

  publicSummaries(): MirrorSummaryDto[] {
    return this.summaries;
  }

  publicRecommendation(count: number): RecommendedDocument {
    return this.publicBook.get(count);
  }

  /** Every mirror, private ones included: admin API only. */
  adminSummaries(): MirrorSummaryDto[] {
    return this.adminSummaryList;
  }

  /** Recommendation over public and private mirrors: admin API only. */
  adminRecommendation(count: number): RecommendedDocument {
    return this.adminBook.get(count);
  }

  /** Increases on every rebuild: caches of rendered exports key on it. */
  generation(): number {
    return this.generationCount;
  }

  lastBuiltAt(): Date | null {
    return this.builtAt;
  }
}
