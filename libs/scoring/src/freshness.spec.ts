import { describe, expect, it } from 'vitest';
import { decideFreshness, majorityDigest, type DigestObservation } from './freshness.js';
import { DEFAULT_FRESHNESS_GRACE_MS } from './policy.js';

const T0 = Date.parse('2026-01-10T00:00:00Z');
const MIN = 60_000;
const at = (minutes: number) => new Date(T0 + minutes * MIN);
const obs = (mirrorId: string, digest: string, minutes: number): DigestObservation => ({ mirrorId, digest, observedAt: at(minutes) });

describe('decideFreshness', () => {
  it.each<[string, DigestObservation[], { digest: string; firstSeenAt?: Date } | null, number, string, number | null]>([
    ['serves the reference', [obs('m', 'new', 0)], { digest: 'new' }, 10, 'fresh', null],
    ['no reference: unknown', [obs('m', 'old', 0)], null, 10, 'unknown', null],
    ['differs within grace: lagging', [obs('m', 'old', 0), obs('m', 'old', 30)], { digest: 'new', firstSeenAt: at(0) }, 30, 'lagging', 0],
    ['differs past grace: stale', [obs('m', 'old', 0), obs('m', 'old', 61)], { digest: 'new', firstSeenAt: at(0) }, 61, 'stale', 0],
    ['exactly at grace is not yet stale', [obs('m', 'old', 0)], { digest: 'new', firstSeenAt: at(0) }, 60, 'lagging', 0],
    [
      'lag counts from when the tag moved, not from the first old observation',
      [obs('m', 'old', 0), obs('m', 'old', 100)],
      { digest: 'new', firstSeenAt: at(90) },
      100,
      'lagging',
      90,
    ],
    [
      'run restarts after serving the reference',
      [obs('m', 'old', 0), obs('m', 'new', 50), obs('m', 'other', 80)],
      { digest: 'new', firstSeenAt: at(0) },
      100,
      'lagging',
      80,
    ],
    ['caught up again is fresh', [obs('m', 'old', 0), obs('m', 'new', 200)], { digest: 'new', firstSeenAt: at(0) }, 200, 'fresh', null],
    [
      'observations after now are ignored',
      [obs('m', 'old', 0), obs('m', 'new', 500)],
      { digest: 'new', firstSeenAt: at(0) },
      100,
      'stale',
      0,
    ],
  ])('%s', (_label, observations, reference, nowMinutes, state, sinceMinutes) => {
    const ref = reference ? { ...reference, source: 'upstream' as const } : null;
    const [verdict] = decideFreshness(observations, ref, DEFAULT_FRESHNESS_GRACE_MS, at(nowMinutes));
    expect(verdict?.state).toBe(state);
    expect(verdict?.differentSince).toEqual(sinceMinutes === null ? null : at(sinceMinutes));
  });

  it('without firstSeenAt uses the earliest observation of the reference digest by any mirror', () => {
    const observations = [obs('fast', 'new', 20), obs('slow', 'old', 0), obs('slow', 'old', 75)];
    const verdicts = decideFreshness(observations, { digest: 'new', source: 'majority' }, DEFAULT_FRESHNESS_GRACE_MS, at(75));
    expect(verdicts.map((v) => [v.mirrorId, v.state])).toEqual([
      ['fast', 'fresh'],
      ['slow', 'lagging'],
    ]);
    expect(verdicts[1]?.differentSince).toEqual(at(20));
  });

  it('a reference nobody was seen serving and without firstSeenAt never makes a mirror stale', () => {
    const [verdict] = decideFreshness([obs('m', 'old', 0)], { digest: 'new', source: 'upstream' }, 1, at(1000));
    expect(verdict?.state).toBe('lagging');
  });
});

describe('majorityDigest', () => {
  it.each<[string, DigestObservation[], string | null]>([
    ['clear majority', [obs('a', 'x', 0), obs('b', 'x', 0), obs('c', 'y', 0)], 'x'],
    ['latest observation per mirror votes', [obs('a', 'y', 0), obs('a', 'x', 5), obs('b', 'x', 0), obs('c', 'y', 0)], 'x'],
    ['tie: none', [obs('a', 'x', 0), obs('b', 'y', 0)], null],
    ['plurality is not majority', [obs('a', 'x', 0), obs('b', 'x', 0), obs('c', 'y', 0), obs('d', 'z', 0), obs('e', 'w', 0)], null],
    ['one mirror alone: none', [obs('a', 'x', 0)], null],
    ['nothing observed', [], null],
  ])('%s', (_label, observations, digest) => {
    expect(majorityDigest(observations)?.digest ?? null).toBe(digest);
  });

  it('reports the source and when the digest was first seen', () => {
    expect(majorityDigest([obs('a', 'x', 7), obs('b', 'x', 3)])).toEqual({ digest: 'x', source: 'majority', firstSeenAt: at(3) });
  });

  it('minAgreeing 1 accepts a single mirror', () => {
    expect(majorityDigest([obs('a', 'x', 0)], { minAgreeing: 1 })?.digest).toBe('x');
  });
});
