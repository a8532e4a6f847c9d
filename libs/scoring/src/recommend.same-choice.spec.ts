import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOMMEND_POLICY, type RecommendPolicy } from './policy.js';
import { rankMirrors, type MirrorStats, type RankedMirror } from './rank-mirrors.js';
import { clearlyBetter, recommend } from './recommend.js';
import { stats } from './testing/stats.fixture.js';

/**
 * `recommend` sorts its members again only when a challenger replaced one
 * (issue 10: it runs for every count and scope after every cycle). It must
 * choose exactly what the plain form of its steps 1-3 chooses, which sorts
 * the members before every challenger; step 4's order is shared.
 */
function plainChoice(ranked: readonly RankedMirror[], incumbents: readonly string[], count: number, policy: RecommendPolicy): string[] {
  const byRank = (a: RankedMirror, b: RankedMirror) => (a.rank ?? Number.MAX_SAFE_INTEGER) - (b.rank ?? Number.MAX_SAFE_INTEGER);
  const seen = new Set<string>();
  const eligible = ranked.filter((m) => m.eligible && !seen.has(m.url) && seen.add(m.url)).sort(byRank);
  const byUrl = new Map(eligible.map((m) => [m.url, m]));
  const kept = [...new Set(incumbents)].map((url) => byUrl.get(url)).filter((m): m is RankedMirror => m !== undefined);
  const best = new Set([...kept].sort(byRank).slice(0, count));
  const chosen = kept.filter((m) => best.has(m));
  const challengers = eligible.filter((m) => !chosen.includes(m));
  while (chosen.length < count) {
    const next = challengers.shift();
    if (!next) break;
    chosen.push(next);
  }
  for (const challenger of challengers) {
    const beaten = [...chosen]
      .sort(byRank)
      .reverse()
      .find((member) => clearlyBetter(challenger, member, policy));
    if (beaten) chosen[chosen.indexOf(beaten)] = challenger;
  }
  return chosen.map((m) => m.url).sort();
}

/** Mirrors close enough that challengers keep beating members: latencies within a few tens of percent. */
const similarMirrors = fc
  .array(
    fc.record({
      status: fc.constantFrom<MirrorStats['status']>('up', 'up', 'degraded', 'down'),
      successRate24h: fc.constantFrom(1, 0.99, 0.96, 0.9, null),
      manifestP50Ms1h: fc.option(fc.integer({ min: 100, max: 260 }), { nil: null }),
    }),
    { minLength: 0, maxLength: 30 },
  )
  .map((states) => states.map((state, index) => stats(`m${index}`, state)));

describe('recommend chooses what sorting before every challenger chooses', () => {
  it('for generated mirrors, incumbents and counts', () => {
    fc.assert(
      fc.property(
        similarMirrors.chain((mirrors) =>
          fc.record({
            mirrors: fc.constant(mirrors),
            incumbents: fc.shuffledSubarray(mirrors.map((m) => m.url)),
            count: fc.integer({ min: 1, max: 10 }),
          }),
        ),
        ({ mirrors, incumbents, count }) => {
          const ranked = rankMirrors(mirrors);
          const chosen = recommend(ranked, incumbents, count).mirrors;
          expect([...chosen].sort()).toEqual(plainChoice(ranked, incumbents, count, DEFAULT_RECOMMEND_POLICY));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
