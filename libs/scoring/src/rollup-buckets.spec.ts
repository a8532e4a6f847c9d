import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.js';
import { aggregateProbes, bucketStart, nextBucketStart, retentionCutoff, type RollupProbe } from './rollup-buckets.js';

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

describe('retentionCutoff', () => {
  it.each([
    ['2026-03-10T15:00:00Z', 1, '2026-03-09T00:00:00.000Z'],
    ['2026-03-10T00:00:00Z', 1, '2026-03-09T00:00:00.000Z'],
    ['2026-03-10T15:00:00Z', 30, '2026-02-08T00:00:00.000Z'],
  ])('at %s keeping %d days deletes before %s (a UTC day start)', (now, days, expected) => {
    expect(retentionCutoff(new Date(now), days).toISOString()).toBe(expected);
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
  const probe = (mirrorId: string, at: string, ok: boolean, manifestMs: number | null, patch: Partial<RollupProbe> = {}): RollupProbe => ({
    mirrorId,
    vantageId: 'local',
    startedAt: new Date(at),
    ok,
    failureClass: ok ? null : 'timeout',
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    pingTtfbMs: null,
    tokenMs: null,
    manifestMs,
    throughputBytesPerSec: null,
    ...patch,
  });

  it('counts per mirror and bucket, with latency and throughput from successes only', () => {
    const buckets = aggregateProbes('hour', [
      probe('a', '2026-03-01T10:05:00Z', true, 100, { throughputBytesPerSec: 1000 }),
      probe('a', '2026-03-01T10:35:00Z', true, 300, { throughputBytesPerSec: 3000 }),
      probe('a', '2026-03-01T10:45:00Z', false, 9000, { throughputBytesPerSec: 1 }),
      probe('a', '2026-03-01T11:00:00Z', false, null),
      probe('b', '2026-03-01T10:10:00Z', true, 50),
    ]);
    const byKey = new Map(buckets.map((bucket) => [`${bucket.mirrorId}@${bucket.bucketStart.toISOString()}`, bucket]));
    expect(byKey.get('a@2026-03-01T10:00:00.000Z')).toMatchObject({ probes: 3, successes: 2, manifestP50Ms: 100, manifestP95Ms: 300 });
    expect(byKey.get('a@2026-03-01T11:00:00.000Z')).toMatchObject({
      probes: 1,
      successes: 0,
      manifestP50Ms: null,
      throughputP50BytesPerSec: null,
    });
    expect(byKey.get('b@2026-03-01T10:00:00.000Z')).toMatchObject({ probes: 1, successes: 1, manifestP50Ms: 50, manifestP95Ms: 50 });
    expect(buckets).toHaveLength(3);
  });

  it('takes the median of every phase over successful probes, null for a phase that never ran', () => {
    const [bucket] = aggregateProbes('hour', [
      probe('a', '2026-03-01T10:01:00Z', true, 100, { dnsMs: 1, connectMs: 10, pingTtfbMs: 40, tokenMs: 7 }),
      probe('a', '2026-03-01T10:02:00Z', true, 100, { dnsMs: 5, connectMs: 30, pingTtfbMs: 20, tokenMs: null }),
      probe('a', '2026-03-01T10:03:00Z', true, 100, { dnsMs: 3, connectMs: 20, pingTtfbMs: 60, tokenMs: 9 }),
      // A failure's timings are not latencies: 900 ms DNS must not move the median.
      probe('a', '2026-03-01T10:04:00Z', false, null, { dnsMs: 900, connectMs: 900, pingTtfbMs: 900, tokenMs: 900 }),
    ]);
    expect(bucket).toMatchObject({ dnsP50Ms: 3, connectP50Ms: 20, tlsP50Ms: null, pingTtfbP50Ms: 40, tokenP50Ms: 7 });
  });

  it('keeps the median throughput, not the mean (a slow outlier must not drag it)', () => {
    const [bucket] = aggregateProbes('day', [
      probe('a', '2026-03-01T01:00:00Z', true, 100, { throughputBytesPerSec: 9_000_000 }),
      probe('a', '2026-03-01T07:00:00Z', true, 100, { throughputBytesPerSec: 10_000 }),
      probe('a', '2026-03-01T13:00:00Z', true, 100, { throughputBytesPerSec: 8_000_000 }),
      probe('a', '2026-03-01T19:00:00Z', true, 100, { throughputBytesPerSec: 8_500_000 }),
      probe('a', '2026-03-01T20:00:00Z', true, 100),
    ]);
    expect(bucket?.throughputP50BytesPerSec).toBe(8_000_000);
  });

  it('counts failures per class, a missing or unknown class as internal', () => {
    const [bucket] = aggregateProbes('hour', [
      probe('a', '2026-03-01T10:01:00Z', false, null, { failureClass: 'dns' }),
      probe('a', '2026-03-01T10:02:00Z', false, null, { failureClass: 'dns' }),
      probe('a', '2026-03-01T10:03:00Z', false, null, { failureClass: 'server_error' }),
      probe('a', '2026-03-01T10:04:00Z', false, null, { failureClass: null }),
      probe('a', '2026-03-01T10:05:00Z', false, null, { failureClass: 'retired_class' }),
      probe('a', '2026-03-01T10:06:00Z', true, 10),
    ]);
    expect(bucket?.failures).toEqual({ dns: 2, server_error: 1, internal: 2 });
  });

  it('computes a daily bucket from the raw probes: its median is not the median of hourly medians', () => {
    const probes = [
      probe('a', '2026-03-01T10:01:00Z', true, 10),
      probe('a', '2026-03-01T10:02:00Z', true, 10),
      probe('a', '2026-03-01T10:03:00Z', true, 10),
      probe('a', '2026-03-01T11:01:00Z', true, 100),
      probe('a', '2026-03-01T12:01:00Z', true, 100),
    ];
    const hourlyMedians = aggregateProbes('hour', probes).map((bucket) => bucket.manifestP50Ms ?? 0);
    expect(percentile(hourlyMedians, 50)).toBe(100);
    expect(aggregateProbes('day', probes)[0]?.manifestP50Ms).toBe(10);
  });
});
