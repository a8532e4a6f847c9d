import { describe, expect, it } from 'vitest';
import { rankMirrors } from './rank-mirrors.js';
import { stats } from './testing/stats.fixture.js';

describe('rankMirrors: eligibility', () => {
  it.each([
    ['up', {}, null],
    ['degraded because slow', { status: 'degraded', degradedReason: 'slow' }, null],
    ['degraded because rate limited', { status: 'degraded', degradedReason: 'rate_limited' }, null],
    ['down', { status: 'down' }, 'down'],
    ['never probed', { status: 'unknown' }, 'unknown'],
    ['stale by freshness verdict', { freshness: 'stale' }, 'stale'],
    ['degraded because stale', { status: 'degraded', degradedReason: 'stale' }, 'stale'],
    [
      'allowlisted: eligible, placed after full mirrors',
      { status: 'degraded', degradedReason: 'allowlisted', coverage: 'library_only' },
      null,
    ],
    ['lagging: eligible until its grace ends', { freshness: 'lagging' }, null],
    ['freshness unknown holds nothing against it', { freshness: 'unknown' }, null],
    ['integrity failure in window, even when up', { integrityFailuresInWindow: 1 }, 'integrity'],
    ['integrity beats down', { status: 'down', integrityFailuresInWindow: 2 }, 'integrity'],
  ] as const)('%s -> %s', (_label, override, reason) => {
    const [ranked] = rankMirrors([stats('m', override)]);
    expect(ranked?.ineligibleReason).toBe(reason);
    expect(ranked?.eligible).toBe(reason === null);
    expect(ranked?.rank).toBe(reason === null ? 1 : null);
  });
});

describe('rankMirrors: order', () => {
  it.each([
    [
      'success bucket first',
      [stats('a', { successRate24h: 0.9, manifestP50Ms1h: 100 }), stats('b', { successRate24h: 1, manifestP50Ms1h: 900 })],
      ['b', 'a'],
    ],
    [
      'same bucket: latency decides',
      [stats('a', { successRate24h: 0.991, manifestP50Ms1h: 500 }), stats('b', { successRate24h: 0.999, manifestP50Ms1h: 400 })],
      ['b', 'a'],
    ],
    [
      'bucket edge 0.98 vs 0.99 is one bucket',
      [stats('a', { successRate24h: 0.99, manifestP50Ms1h: 500 }), stats('b', { successRate24h: 0.98, manifestP50Ms1h: 400 })],
      ['b', 'a'],
    ],
    [
      'same latency: throughput decides',
      [stats('a', { throughputBytesPerSec: 1e6 }), stats('b', { throughputBytesPerSec: 5e6 })],
      ['b', 'a'],
    ],
    ['missing latency sorts last', [stats('a', { manifestP50Ms1h: null }), stats('b', { manifestP50Ms1h: 2000 })], ['b', 'a']],
    ['missing throughput sorts last', [stats('a', { throughputBytesPerSec: null }), stats('b', { throughputBytesPerSec: 10 })], ['b', 'a']],
    ['all equal: id decides', [stats('c'), stats('a'), stats('b')], ['a', 'b', 'c']],
    ['ineligible after eligible, by id', [stats('z', { status: 'down' }), stats('y'), stats('x', { freshness: 'stale' })], ['y', 'x', 'z']],
  ])('%s', (_label, input, expectedIds) => {
    expect(rankMirrors(input).map((r) => r.id)).toEqual(expectedIds);
  });

  it('numbers eligible mirrors from 1', () => {
    const ranked = rankMirrors([stats('a'), stats('b', { manifestP50Ms1h: 100 }), stats('c', { status: 'down' })]);
    expect(ranked.map((r) => [r.id, r.rank])).toEqual([
      ['b', 1],
      ['a', 2],
      ['c', null],
    ]);
  });

  it('honours the bucket width', () => {
    const input = [stats('a', { successRate24h: 0.95, manifestP50Ms1h: 100 }), stats('b', { successRate24h: 0.99, manifestP50Ms1h: 900 })];
    expect(rankMirrors(input, { successRateBucket: 0.1 }).map((r) => r.id)).toEqual(['a', 'b']);
    expect(rankMirrors(input, { successRateBucket: 0.01 }).map((r) => r.id)).toEqual(['b', 'a']);
  });

  it.each([0, -0.1, 2, Number.NaN])('rejects bucket width %s', (width) => {
    expect(() => rankMirrors([], { successRateBucket: width })).toThrow(RangeError);
  });
});

describe('rankMirrors: placement the way dockerd walks the list', () => {
  it('puts full and current mirrors first, then reduced coverage, then lagging, whatever their speed', () => {
    const ranked = rankMirrors([
      stats('lagging-fast', { freshness: 'lagging', manifestP50Ms1h: 10 }),
      stats('allowlist-fast', { coverage: 'library_only', manifestP50Ms1h: 20 }),
      stats('partial', { coverage: 'partial', manifestP50Ms1h: 30 }),
      stats('full-slow', { manifestP50Ms1h: 2000 }),
      stats('unknown-coverage', { coverage: 'unknown', freshness: 'unknown', manifestP50Ms1h: 2100 }),
    ]);
    expect(ranked.map((r) => [r.id, r.tier])).toEqual([
      ['full-slow', 0],
      ['unknown-coverage', 0],
      ['allowlist-fast', 1],
      ['partial', 1],
      ['lagging-fast', 2],
    ]);
  });
});
