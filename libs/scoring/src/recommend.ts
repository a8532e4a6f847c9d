import { DEFAULT_RECOMMEND_POLICY, type RecommendPolicy } from './policy.js';
import type { RankedMirror } from './rank-mirrors.js';

export interface Recommendation {
  /** Mirror URLs for `registry-mirrors`, best first. */
  mirrors: string[];
  /** True when `mirrors` differs from the incumbents (set or order): clients should update. */
  changed: boolean;
}

/**
 * True when `challenger` is better than `incumbent` by more than noise:
 * a better placement tier (full before allowlisting before lagging: no margin
 * applies, dockerd's order is what matters), or in the same tier clearly more
 * reliable (`successBucketMargin` buckets), or at least as reliable and
 * `latencyMargin` faster. Both conditions are strict enough that two similar
 * mirrors whose figures wander a few percent never beat each other.
 */
export function clearlyBetter(challenger: RankedMirror, incumbent: RankedMirror, policy: RecommendPolicy): boolean {
  if (challenger.tier !== incumbent.tier) return challenger.tier < incumbent.tier;
  if (challenger.successBucket >= incumbent.successBucket + policy.successBucketMargin) return true;
  if (challenger.successBucket < incumbent.successBucket) return false;
  const c = challenger.manifestP50Ms1h;
  const i = incumbent.manifestP50Ms1h;
  if (c === null) return false;
  if (i === null) return true;
  return c <= i * (1 - policy.latencyMargin);
}

/**
 * Picks `count` mirrors for fleets, favouring stability over small gains:
 * dockerd tries mirrors in order, and every change of daemon.json means a
 * dockerd restart on every host, so a recommendation that flips between two
 * similar mirrors each minute is worse than one that stays a little
 * suboptimal.
 *
 * 1. Incumbents (the previous answer, URLs) that are still eligible are kept
 *    (the best-ranked ones if `count` shrank).
 * 2. Empty slots are filled from the ranking, best first.
 * 3. A remaining challenger replaces the worst-ranked member it is
 *    `clearlyBetter` than, in that member's slot.
 * 4. Order: previous order for incumbents, newcomers after them; a mirror
 *    moves ahead of another only when it is `clearlyBetter`. With no
 *    incumbents this is plain rank order, best first.
 *
 * The answer never holds an ineligible mirror or a duplicate URL, and its
 * tiers never decrease: no allowlisting mirror ahead of a full one, no
 * lagging one ahead of a current one (tier beats every stability margin).
 */
export function recommend(
  ranked: readonly RankedMirror[],
  incumbents: readonly string[],
  count: number,
  policy: RecommendPolicy = DEFAULT_RECOMMEND_POLICY,
): Recommendation {
  const slots = Number.isFinite(count) ? Math.max(0, Math.floor(count)) : 0;
  const { eligible, byUrl } = eligibleOf(ranked);

  const keptIncumbents = unique(incumbents)
    .map((url) => byUrl.get(url))
    .filter((m): m is RankedMirror => m !== undefined);
  const bestIncumbents = new Set([...keptIncumbents].sort(byRank).slice(0, slots));
  const chosen = keptIncumbents.filter((m) => bestIncumbents.has(m));

  const kept = new Set(chosen);
  const challengers = eligible.filter((m) => !kept.has(m));
  let next = 0;
  for (; chosen.length < slots && next < challengers.length; next++) chosen.push(challengers[next] as RankedMirror);

  // The members worst first, sorted again only when a replacement changed them, not before every challenger:
  // this runs for each count and scope after every cycle (issue 10; a quarter less CPU for 50 similar mirrors).
  let worstFirst = byRankWorstFirst(chosen);
  for (const challenger of challengers.slice(next)) {
    const beaten = worstFirst.find((member) => clearlyBetter(challenger, member, policy));
    if (!beaten) continue;
    chosen[chosen.indexOf(beaten)] = challenger;
    worstFirst = byRankWorstFirst(chosen);
  }

  const ordered = orderStably(chosen, policy);
  const mirrors = ordered.map((m) => m.url);
  return { mirrors, changed: !sameList(mirrors, incumbents) };
}

interface EligibleMirrors {
  /** Eligible, one per URL, best first. */
  eligible: readonly RankedMirror[];
  byUrl: ReadonlyMap<string, RankedMirror>;
}

/** By ranking: a ranking is asked for one list per count (1-10) and scope, all from the same array. */
const eligibleByRanking = new WeakMap<readonly RankedMirror[], EligibleMirrors>();

/** The eligible mirrors of a ranking, worked out once per ranking array (it is readonly, so they cannot change). */
function eligibleOf(ranked: readonly RankedMirror[]): EligibleMirrors {
  let found = eligibleByRanking.get(ranked);
  if (found === undefined) {
    const eligible = uniqueByUrl(ranked.filter((m) => m.eligible)).sort(byRank);
    found = { eligible, byUrl: new Map(eligible.map((m) => [m.url, m])) };
    eligibleByRanking.set(ranked, found);
  }
  return found;
}

/** Insertion sort where a mirror only passes another it is clearly better than. */
function orderStably(members: RankedMirror[], policy: RecommendPolicy): RankedMirror[] {
  const result = [...members];
  for (let i = 1; i < result.length; i++) {
    for (let j = i; j > 0; j--) {
      const current = result[j];
      const ahead = result[j - 1];
      if (!current || !ahead || !clearlyBetter(current, ahead, policy)) break;
      result[j - 1] = current;
      result[j] = ahead;
    }
  }
  return result;
}

function byRankWorstFirst(members: readonly RankedMirror[]): RankedMirror[] {
  return [...members].sort(byRank).reverse();
}

function byRank(a: RankedMirror, b: RankedMirror): number {
  return (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER);
}

function uniqueByUrl(mirrors: RankedMirror[]): RankedMirror[] {
  const seen = new Set<string>();
  return mirrors.filter((m) => (seen.has(m.url) ? false : (seen.add(m.url), true)));
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}
