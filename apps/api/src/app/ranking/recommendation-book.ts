import { createHash } from 'node:crypto';
import { RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { recommend, type RankedMirror, type RecommendPolicy } from '@mirrorwatch/scoring';

/** A recommendation rendered once and served from memory until the next cycle. */
export interface RecommendedDocument {
  mirrors: string[];
  /** `{"registry-mirrors": [...]}` exactly as served. */
  body: string;
  /** Strong validator over the body, for `If-None-Match` from fleets. */
  etag: string;
  computedAt: Date;
}

/**
 * Keeps one stable recommendation per `count`. Each count has its own
 * incumbents: taking the first N of a longer list would let positions N and
 * N+1 swap between similar mirrors every cycle and churn fleets.
 */
export class RecommendationBook {
  private readonly incumbents = new Map<number, string[]>();
  private readonly documents = new Map<number, RecommendedDocument>();

  constructor(private readonly policy?: RecommendPolicy) {
    this.update([], new Date());
  }

  update(ranked: readonly RankedMirror[], now: Date): void {
    for (let count = RECOMMENDED_COUNT_MIN; count <= RECOMMENDED_COUNT_MAX; count++) {
      const { mirrors } = recommend(ranked, this.incumbents.get(count) ?? [], count, this.policy);
      this.incumbents.set(count, mirrors);
      const body = `${JSON.stringify({ 'registry-mirrors': mirrors }, null, 2)}\n`;
      const previous = this.documents.get(count);
      // Keep the old timestamp when nothing changed, so the document (and its ETag) is byte-stable.
      if (previous && previous.body === body) continue;
      this.documents.set(count, { mirrors, body, etag: etagOf(body), computedAt: now });
    }
  }

  get(count: number): RecommendedDocument {
    const document = this.documents.get(count);
    if (!document) throw new RangeError(`count ${count} is outside ${RECOMMENDED_COUNT_MIN}..${RECOMMENDED_COUNT_MAX}`);
    return document;
  }
}

function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}
