import { Injectable, Logger } from '@nestjs/common';
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
export class RankingService {
  private readonly logger = new Logger(RankingService.name);
  private summaries: MirrorSummaryDto[] = [];
  private readonly publicBook = new RecommendationBook();
  private builtAt: Date | null = null;

  constructor(private readonly facts: MirrorFactsReader) {}

  async rebuild(now: Date = new Date()): Promise<void> {
    const facts = await this.facts.read(now);
    // Private mirrors (a personal accelerator URL) never reach public output,
    // not even as a gap in the public ranks.
    const publicRanking = buildRanking(facts.filter((fact) => fact.definition.visibility === 'public'));
    this.summaries = publicRanking.summaries;
    this.publicBook.update(publicRanking.ranked, now);
    this.builtAt = now;
    this.logger.debug({ msg: 'ranking rebuilt', mirrors: this.summaries.length });
  }

  publicSummaries(): MirrorSummaryDto[] {
    return this.summaries;
  }

  publicRecommendation(count: number): RecommendedDocument {
    return this.publicBook.get(count);
  }

  lastBuiltAt(): Date | null {
    return this.builtAt;
  }
}
