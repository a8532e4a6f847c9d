import { describe, expect, it } from 'vitest';
import { aggregateProbes, bucketStart, nextBucketStart, percentile, type RollupProbe } from './rollup-buckets.js';

describe('bucketStart', () => {
  it.each([
    ['hour', '2026-03-01T10:59:59.999Z', '2026-03-01T10:00:00.000Z'],
    ['hour', '2026-03-01T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
    ['day', '2026-03-01T23:59:59.999Z', '2026-03-01T00:00:00.000Z'],
    ['day', '2026-03-02T00:00:00.000Z', '2026-03-02T00:00:00.000Z'],
  ] as const)('%s of %s is %s (UTC)', (granularity, at, expected) => {
    expect(bucketStart(granularity, new Date(at)).toISOString()).toBe(expected);
  });

  it('steps to the next bucket', () => {
    expect(nextBucketStart('day', new Date('2026-03-01T00:00:00Z')).toISOString()).toBe('2026-03-02T00:00:00.000Z');
  });
});

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 50, null],
    [[7], 95, 7],
    [[40, 10, 30, 20], 50, 20],
    [[40, 10, 30, 20], 95, 40],
    [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 95, 19],
  ])('%j p%d = %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });
});

describe('aggregateProbes', () => {
  const probe = (mirrorId: string, at: string, ok: boolean, manifestMs: number | null, throughput: number | null = null): RollupProbe => ({
    mirrorId,
    vantageId: 'local',
    startedAt: new Date(at),
    ok,
    manifestMs,
    throughputBytesPerSec: throughput,
  });

  it('counts per mirror and bucket, with latency and throughput from successes only', () => {
    const buckets = aggregateProbes('hour', [
      probe('a', '2026-03-01T10:05:00Z', true, 100, 1000),
      probe('a', '2026-03-01T10:35:00Z', true, 300, 3000),
      probe('a', '2026-03-01T10:45:00Z', false, 9000, 1),
      probe('a', '2026-03-01T11:00:00Z', false, null),
      probe('b', '2026-03-01T10:10:00Z', true, 50),
    ]);
    const byKey = new Map(buckets.map((bucket) => [`${bucket.mirrorId}@${bucket.bucketStart.toISOString()}`, bucket]));
    expect(byKey.get('a@2026-03-01T10:00:00.000Z')).toMatchObject({
      probes: 3,
      successes: 2,
      manifestP50Ms: 100,
      manifestP95Ms: 300,
      avgThroughputBytesPerSec: 2000,
    });
    expect(byKey.get('a@2026-03-01T11:00:00.000Z')).toMatchObject({ probes: 1, successes: 0, manifestP50Ms: null, avgThroughputBytesPerSec: null });
    expect(byKey.get('b@2026-03-01T10:00:00.000Z')).toMatchObject({ probes: 1, successes: 1, manifestP50Ms: 50, manifestP95Ms: 50 });
    expect(buckets).toHaveLength(3);
  });
});
