import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoverageVerdict } from './coverage.js';
import type { FreshnessState } from './freshness.js';
import { rankMirrors, type MirrorStats } from './rank-mirrors.js';
import { recommend } from './recommend.js';
import { stats } from './testing/stats.fixture.js';

/**
 * The recommended list's order, checked over generated matrices of mirror
 * states (status, freshness, coverage, reliability, speed) and incumbents:
 * whatever the stability rules keep, dockerd must meet full current mirrors
 * before allowlisting or partial ones, and current ones before lagging ones.
 */
const mirrorState = fc.record({
  status: fc.constantFrom<MirrorStats['status']>('up', 'degraded', 'down', 'unknown'),
  freshness: fc.constantFrom<FreshnessState>('fresh', 'lagging', 'stale', 'unknown'),
  coverage: fc.constantFrom<CoverageVerdict>('all', 'library_only', 'partial', 'unknown'),
  successRate24h: fc.option(fc.double({ min: 0.5, max: 1, noNaN: true }), { nil: null }),
  manifestP50Ms1h: fc.option(fc.integer({ min: 20, max: 5000 }), { nil: null }),
  integrityFailuresInWindow: fc.constantFrom(0, 0, 0, 1),
});

const matrix = fc
  .array(mirrorState, { minLength: 0, maxLength: 9 })
  .map((states) => states.map((state, index) => stats(`m${index}`, state)));

const scenario = matrix.chain((mirrors) =>
  fc.record({
    mirrors: fc.constant(mirrors),
    incumbents: fc.shuffledSubarray(mirrors.map((m) => m.url)),
    count: fc.integer({ min: 1, max: 10 }),
  }),
);

const tierOf = (m: Pick<MirrorStats, 'freshness' | 'coverage'>): number =>
  m.freshness === 'lagging' ? 2 : m.coverage === 'library_only' || m.coverage === 'partial' ? 1 : 0;
const servesLibrary = (m: MirrorStats): boolean =>
  (m.status === 'up' || m.status === 'degraded') && m.freshness !== 'stale' && m.integrityFailuresInWindow === 0;

describe('recommend over generated mirror states (property-based)', () => {
  it('never puts an allowlisting/partial mirror before a full one, nor a lagging one before a current one', () => {
    fc.assert(
      fc.property(scenario, ({ mirrors, incumbents, count }) => {
        const chosen = recommend(rankMirrors(mirrors), incumbents, count).mirrors;
        const byUrl = new Map(mirrors.map((m) => [m.url, m]));
        const tiers = chosen.map((url) => tierOf(byUrl.get(url) as MirrorStats));
        for (let i = 1; i < tiers.length; i++) expect(tiers[i]).toBeGreaterThanOrEqual(tiers[i - 1] as number);
      }),
      { numRuns: 500 },
    );
  });

  it('never leaves out a better-placed eligible mirror while holding a worse-placed one', () => {
    fc.assert(
      fc.property(scenario, ({ mirrors, incumbents, count }) => {
        const chosen = new Set(recommend(rankMirrors(mirrors), incumbents, count).mirrors);
        const eligible = mirrors.filter(servesLibrary);
        const worstChosen = Math.max(-1, ...eligible.filter((m) => chosen.has(m.url)).map(tierOf));
        for (const left of eligible.filter((m) => !chosen.has(m.url))) expect(tierOf(left)).toBeGreaterThanOrEqual(worstChosen);
      }),
      { numRuns: 500 },
    );
  });

  it('is empty exactly when no mirror serves library images, and holds only mirrors that do', () => {
    fc.assert(
      fc.property(scenario, ({ mirrors, incumbents, count }) => {
        const chosen = recommend(rankMirrors(mirrors), incumbents, count).mirrors;
        const serving = new Set(mirrors.filter(servesLibrary).map((m) => m.url));
        expect(chosen.length === 0).toBe(serving.size === 0);
        for (const url of chosen) expect(serving.has(url)).toBe(true);
        expect(chosen.length).toBe(Math.min(count, serving.size));
      }),
      { numRuns: 500 },
    );
  });
});
