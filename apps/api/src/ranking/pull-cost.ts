import { RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { DOCKERD_HANG_COST_MS, expectedPullCostMs, recommendedLength, type PullCostInput, type RankedMirror } from '@mirrorwatch/scoring';

/**
 * What the last mirror's failure leads to: dockerd pulls from Docker Hub,
 * which from mainland China hangs or crawls, so it is charged dockerd's ping
 * timeout. Taken as a constant rather than measured: the reference registry is
 * asked rarely (Docker Hub counts manifest requests as pulls), and every
 * replica must reach the same figure.
 */
export const FALLBACK_COST_MS = DOCKERD_HANG_COST_MS;

function costInput(mirror: RankedMirror): PullCostInput {
  const successes = mirror.successRate24h === null ? 0 : Math.round(mirror.successRate24h * mirror.probes24h);
  return {
    manifestP50Ms: mirror.manifestP50Ms1h,
    probes: mirror.probes24h,
    successes,
    hangs: mirror.hangs24h,
    servedShare: mirror.servedShare,
  };
}

/** Expected manifest time of one pull through `urls` (in that order), from the ranking's measured figures. */
export function expectedPullMsFor(ranked: readonly RankedMirror[], urls: readonly string[]): number {
  const byUrl = new Map(ranked.map((mirror) => [mirror.url, mirror]));
  const list = urls.map((url) => byUrl.get(url)).filter((mirror): mirror is RankedMirror => mirror !== undefined);
  return Math.round(expectedPullCostMs(list.map(costInput), FALLBACK_COST_MS));
}

/** The length to recommend when the client names none: where one more mirror stops paying for itself. */
export function recommendedCountFor(ranked: readonly RankedMirror[], minSavingMs: number): number {
  const eligible = ranked.filter((mirror) => mirror.eligible).sort((a, b) => (a.rank ?? 0) - (b.rank ?? 0));
  const length = recommendedLength(eligible.map(costInput), FALLBACK_COST_MS, { minSavingMs, max: RECOMMENDED_COUNT_MAX });
  return Math.max(RECOMMENDED_COUNT_MIN, length);
}
