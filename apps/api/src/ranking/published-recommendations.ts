import type { LoggerService } from '@nestjs/common';
import type { RankedMirror, RecommendPolicy } from '@mirrorwatch/scoring';
import {
  RECOMMENDATION_SCOPES,
  type RecommendationRepository,
  type RecommendationScope,
  type StoredRecommendation,
} from '#infrastructure/persistence/recommendation.repository.js';
import { RecommendationBook, type RecommendedDocument } from './recommendation-book.js';

export type RankedByScope = Partial<Record<RecommendationScope, readonly RankedMirror[]>>;

/**
 * The public and admin recommendation books, kept in step with the database:
 * the scheduler's replica (the only process on SQLite) decides the lists and
 * stores each one that changes; every other replica serves the stored lists.
 * Fleets therefore get the same list, byte for byte, from any replica, and a
 * restart or a new leader resumes from the stored incumbents instead of
 * choosing afresh. The local vantage keeps both scopes; a remote vantage
 * (ranked from its agents' results, public mirrors only) the public one.
 */
export class PublishedRecommendations {
  private readonly books: Partial<Record<RecommendationScope, RecommendationBook>> = {};
  /** True while the books hold this scheduler term's decisions, seeded from the database when the term began. */
  private deciding = false;
  private skippedCount = 0;

  constructor(
    private readonly repository: Pick<RecommendationRepository, 'loadAll' | 'saveChanged'>,
    policy: RecommendPolicy,
    private readonly logger: Pick<LoggerService, 'log' | 'warn' | 'error'>,
    private readonly scopes: readonly RecommendationScope[] = RECOMMENDATION_SCOPES,
  ) {
    for (const scope of scopes) this.books[scope] = new RecommendationBook(policy);
  }

  get(scope: RecommendationScope, count: number): RecommendedDocument {
    return this.book(scope).get(count);
  }

  private book(scope: RecommendationScope): RecommendationBook {
    const book = this.books[scope];
    if (book === undefined) throw new RangeError(`no ${scope} recommendations here`);
    return book;
  }

  /**
   * One step after a ranking rebuild. A failed read throws (the books keep
   * serving their previous lists); a failed write is logged and retried on the
   * next step, since the books remember what the database does not hold yet.
   */
  async refresh(ranked: RankedByScope, isScheduler: boolean, now: Date): Promise<void> {
    try {
      await this.step(ranked, isScheduler, now);
    } finally {
      this.reportSkipped();
    }
  }

  /** Mirrors left out of the last refresh because dockerd would refuse their URL (a metric). */
  skippedMirrors(): number {
    return this.skippedCount;
  }

  private async step(ranked: RankedByScope, isScheduler: boolean, now: Date): Promise<void> {
    if (!isScheduler) {
      const stored = await this.repository.loadAll();
      this.deciding = false;
      for (const scope of this.scopes) this.book(scope).follow(inScope(stored, scope), ranked[scope] ?? [], now);
      return;
    }
    if (!this.deciding) {
      // A new term (boot, or taking over from another replica): the stored lists are the incumbents.
      const stored = await this.repository.loadAll();
      for (const scope of this.scopes) this.book(scope).seed(inScope(stored, scope), now);
      this.deciding = true;
    }
    for (const scope of this.scopes) this.book(scope).update(ranked[scope] ?? [], now);
    await this.saveUnsaved();
  }

  /**
   * One warning per refresh that left mirrors out. Admin lists hold private
   * mirrors, whose URL is a personal accelerator address: only public URLs
   * are named.
   */
  private reportSkipped(): void {
    const publicSkipped = this.books.public?.takeSkipped() ?? [];
    const publicUrls = new Set(publicSkipped.map((mirror) => mirror.url));
    const privateCount = (this.books.admin?.takeSkipped() ?? []).filter((mirror) => !publicUrls.has(mirror.url)).length;
    this.skippedCount = publicSkipped.length + privateCount;
    if (this.skippedCount === 0) return;
    this.logger.warn({
      msg: 'mirrors left out of the recommendations: dockerd would refuse their URL',
      mirrors: publicSkipped.map((mirror) => `${mirror.url} (${mirror.reason})`).join(', '),
      privateMirrors: privateCount,
    });
  }

  private async saveUnsaved(): Promise<void> {
    const unsaved = this.scopes.flatMap((scope) =>
      this.book(scope)
        .unsaved()
        .map((list) => ({ scope, ...list })),
    );
    if (unsaved.length === 0) return;
    try {
      await this.repository.saveChanged(unsaved);
    } catch (error) {
      this.logger.error({
        msg: 'recommended lists could not be stored; retrying after the next cycle',
        err: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    for (const scope of this.scopes) this.book(scope).markSaved(unsaved.filter((list) => list.scope === scope));
    this.logger.log({ msg: 'recommended lists stored', lists: unsaved.map((list) => `${list.scope}/${list.count}`).join(' ') });
  }
}

function inScope(stored: readonly StoredRecommendation[], scope: RecommendationScope): StoredRecommendation[] {
  return stored.filter((list) => list.scope === scope);
}
