import type { RankedMirror } from '@mirrorwatch/scoring';
import { DOCKER_HUB_REGISTRY } from '@mirrorwatch/domain';
import type { RecommendedDocument } from './recommendation-book.js';
import { expectedPullMsFor, recommendedCountFor } from './pull-cost.js';
import { recommendEndpoints, type RankedEndpoint, type UpstreamEndpoint } from './upstream-rankings.js';

/**
 * Everything an export reads, from one ranking: the local vantage's public or
 * admin ranking, or a remote vantage's. Every export (daemon.json, containerd,
 * Podman, k3s, the install scripts) renders from one of these, so a vantage
 * gets each format from its own measurements through one code path.
 */
export interface RecommendationSource {
  /** The vantage whose measurements ranked the mirrors (X-Mirrorwatch-Vantage). */
  readonly vantage: string;
  /** Tells rendered-document caches apart: `public`, `admin`, or a remote vantage's id. */
  readonly cacheKey: string;
  /** Changes whenever any list of this source may have (caches of rendered documents key on it). */
  readonly generation: string;
  readonly builtAt: Date | null;
  /** The stable Docker Hub list for dockerd, `count` long at most. */
  recommendation(count: number): RecommendedDocument;
  /** The length served when a client names no `count`: where one more mirror stops paying for itself. */
  recommendedCount(): number;
  /** Expected manifest time (ms) of one pull through `mirrors`, fallbacks included. */
  expectedPullMs(mirrors: readonly string[]): number;
  /**
   * One upstream's recommended mirrors for containerd, CRI-O/Podman and k3s.
   * Without `count`, Docker Hub's recommended length, or for the others the
   * length where one more mirror no longer pays for itself.
   */
  upstreamRecommendation(upstream: string, count: number | null): UpstreamEndpoint[];
}

export interface RankedRecommendationsInput {
  vantage: string;
  cacheKey: string;
  generation: string;
  builtAt: Date | null;
  /** What dockerd can use (the recommendation book ranks these). */
  dockerd: readonly RankedMirror[];
  byUpstream: ReadonlyMap<string, readonly RankedEndpoint[]>;
  /** The stable lists per count (a RecommendationBook). */
  book: (count: number) => RecommendedDocument;
  minSavingMs: number;
}

/** A RecommendationSource over one built ranking and its recommendation book. */
export function rankedRecommendations(input: RankedRecommendationsInput): RecommendationSource {
  const recommendedCount = (): number => recommendedCountFor(input.dockerd, input.minSavingMs);
  return {
    vantage: input.vantage,
    cacheKey: input.cacheKey,
    generation: input.generation,
    builtAt: input.builtAt,
    recommendation: input.book,
    recommendedCount,
    expectedPullMs: (mirrors) => expectedPullMsFor(input.dockerd, mirrors),
    upstreamRecommendation(upstream, count) {
      const ranked = input.byUpstream.get(upstream) ?? [];
      if (upstream === DOCKER_HUB_REGISTRY) {
        const length = count ?? recommendedCount();
        return recommendEndpoints(ranked, length, input.book(length).mirrors);
      }
      const length =
        count ??
        recommendedCountFor(
          ranked.map((endpoint) => endpoint.ranked),
          input.minSavingMs,
        );
      return recommendEndpoints(ranked, length);
    },
  };
}
