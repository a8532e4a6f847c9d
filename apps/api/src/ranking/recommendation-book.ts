import { RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { normalizeMirrorUrl } from '@mirrorwatch/catalog';
import { renderDaemonJson } from '@mirrorwatch/exports';
import { recommend, type RankedMirror, type RecommendPolicy } from '@mirrorwatch/scoring';
import { strongEtag } from '#infrastructure/http/etag.js';

/** A recommendation rendered once and served from memory until the next cycle. */
export interface RecommendedDocument {
  mirrors: string[];
  /** `{"registry-mirrors": [...]}` exactly as served. */
  body: string;
  /** Strong validator over the body, for `If-None-Match` from fleets. */
  etag: string;
  computedAt: Date;
}

/** A mirror left out of the lists because dockerd would refuse its URL (the renderer throws on it). */
export interface SkippedMirror {
  url: string;
  reason: string;
}

/** One count's list as stored in the database (RecommendationRepository, without the scope). */
export interface PublishedList {
  count: number;
  mirrors: string[];
  updatedAt: Date;
}

/**
 * Keeps one stable recommendation per `count`. Each count has its own
 * incumbents: taking the first N of a longer list would let positions N and
 * N+1 swap between similar mirrors every cycle and churn fleets.
 *
 * The scheduler's replica decides (`seed` once, then `update` per cycle, and
 * stores `unsaved()` lists); other replicas only `follow` the stored lists,
 * so every replica serves the same bytes for the same list.
 *
 * A URL dockerd would refuse (a stored list from an older version, a catalog
 * entry that predates a stricter rule) is left out before rendering and noted
 * in `takeSkipped()`: one bad mirror must not fail the whole rebuild, and
 * since Docker 28 it must not reach a daemon.json either.
 */
export class RecommendationBook {
  private readonly incumbents = new Map<number, string[]>();
  private readonly documents = new Map<number, RecommendedDocument>();
  /** Body of the list the database holds per count, as far as this replica knows. */
  private readonly storedBodies = new Map<number, string>();
  private readonly skipped = new Map<string, string>();

  constructor(private readonly policy?: RecommendPolicy) {
    for (const count of counts()) this.documents.set(count, documentOf([], new Date()));
  }

  /** Takes the stored lists as incumbents and serves them until `update` finds a clearly better one. */
  seed(stored: readonly PublishedList[], now: Date): void {
    this.storedBodies.clear();
    this.incumbents.clear();
    for (const list of stored) {
      if (!this.documents.has(list.count)) continue;
      const mirrors = list.mirrors.filter((url) => this.isRenderable(url));
      this.incumbents.set(list.count, mirrors);
      // A list that lost a mirror is not what the database holds: it is stored again.
      if (mirrors.length === list.mirrors.length) this.storedBodies.set(list.count, bodyOf(mirrors));
      this.publish(list.count, mirrors, list.updatedAt, now);
    }
  }

  /** The scheduler's step: keep incumbents unless a challenger is clearly better (libs/scoring recommend). */
  update(ranked: readonly RankedMirror[], now: Date): void {
    const renderable = this.withRenderableUrls(ranked);
    for (const count of counts()) {
      const { mirrors } = recommend(renderable, this.incumbents.get(count) ?? [], count, this.policy);
      this.incumbents.set(count, mirrors);
      this.publish(count, mirrors, null, now);
    }
  }

  /**
   * A follower's step: serve the stored lists, without deciding anything, but
   * never a mirror this replica's own ranking finds ineligible (the stored list
   * may predate a failure this replica already sees). A count never stored yet
   * (first start after an upgrade, before the scheduler's first cycle) gets the
   * list the scheduler itself would pick without incumbents, rather than an
   * empty list that would send fleets to Docker Hub.
   */
  follow(stored: readonly PublishedList[], ranked: readonly RankedMirror[], now: Date): void {
    const renderable = this.withRenderableUrls(ranked);
    const eligible = new Set(renderable.filter((mirror) => mirror.eligible).map((mirror) => mirror.url));
    const byCount = new Map(stored.map((list) => [list.count, list]));
    this.storedBodies.clear();
    this.incumbents.clear();
    for (const count of counts()) {
      const list = byCount.get(count);
      if (!list) {
        this.publish(count, recommend(renderable, [], count, this.policy).mirrors, null, now);
        continue;
      }
      const storedRenderable = list.mirrors.filter((url) => this.isRenderable(url));
      if (storedRenderable.length === list.mirrors.length) this.storedBodies.set(count, bodyOf(list.mirrors));
      const servable = list.mirrors.filter((url) => eligible.has(url));
      this.publish(count, servable, servable.length === list.mirrors.length ? list.updatedAt : null, now);
    }
  }

  /** Lists that differ from what the database holds: the scheduler stores these after `update`. */
  unsaved(): PublishedList[] {
    return counts()
      .map((count) => ({ count, document: this.get(count) }))
      .filter(({ count, document }) => this.storedBodies.get(count) !== document.body)
      .map(({ count, document }) => ({ count, mirrors: document.mirrors, updatedAt: document.computedAt }));
  }

  /** Mirrors left out since the last call, once each, and forgets them. */
  takeSkipped(): SkippedMirror[] {
    const skipped = [...this.skipped].map(([url, reason]) => ({ url, reason }));
    this.skipped.clear();
    return skipped;
  }

  private withRenderableUrls(ranked: readonly RankedMirror[]): RankedMirror[] {
    return ranked.filter((mirror) => this.isRenderable(mirror.url));
  }

  /** dockerd's rules, the same the renderer applies (catalog's normalizeMirrorUrl). */
  private isRenderable(url: string): boolean {
    const result = normalizeMirrorUrl(url);
    if (!result.ok) this.skipped.set(url, result.reason);
    return result.ok;
  }

  /** Records that these lists are now stored. */
  markSaved(lists: readonly PublishedList[]): void {
    for (const list of lists) this.storedBodies.set(list.count, bodyOf(list.mirrors));
  }

  get(count: number): RecommendedDocument {
    const document = this.documents.get(count);
    if (!document) throw new RangeError(`count ${count} is outside ${RECOMMENDED_COUNT_MIN}..${RECOMMENDED_COUNT_MAX}`);
    return document;
  }

  /**
   * Replaces a count's document only when its bytes (or, for a stored list,
   * its stored timestamp) change, so an unchanged list keeps its body, ETag
   * and Last-Modified across cycles. `since` is the stored list's timestamp;
   * null means "now, if this is new".
   */
  private publish(count: number, mirrors: string[], since: Date | null, now: Date): void {
    const previous = this.documents.get(count);
    const body = bodyOf(mirrors);
    if (previous && previous.body === body && (since === null || previous.computedAt.getTime() === since.getTime())) return;
    this.documents.set(count, documentOf(mirrors, since ?? now));
  }
}

function counts(): number[] {
  const all: number[] = [];
  for (let count = RECOMMENDED_COUNT_MIN; count <= RECOMMENDED_COUNT_MAX; count++) all.push(count);
  return all;
}

/**
 * The one rendering of a list, the exports' own daemon.json: every replica
 * produces the same bytes (and so the same ETag) for the same list.
 */
function bodyOf(mirrors: readonly string[]): string {
  return renderDaemonJson(mirrors);
}

function documentOf(mirrors: string[], computedAt: Date): RecommendedDocument {
  const body = bodyOf(mirrors);
  return { mirrors, body, etag: strongEtag(body), computedAt };
}
