import { describe, expect, it } from 'vitest';
import { emptyTimings, type PhaseTimings } from '@mirrorwatch/domain';
import { type RollupBucket, weightedPercentile } from '@mirrorwatch/scoring';
import { rollupBucket } from '#infrastructure/persistence/testing/rollup-bucket.fixture.js';
import { buildHistoryBuckets, type HistoryProbe } from './history-buckets.js';
import { bucketIndex, historyGrid } from './history-grid.js';

describe('historyGrid', () => {
  it.each([
    ['1h', '2026-03-01T10:30:20Z', '2026-03-01T09:31:00.000Z', '2026-03-01T10:31:00.000Z', 60],
    ['24h', '2026-03-01T10:30:20Z', '2026-02-28T10:45:00.000Z', '2026-03-01T10:45:00.000Z', 96],
    ['7d', '2026-03-01T10:30:20Z', '2026-02-22T11:00:00.000Z', '2026-03-01T11:00:00.000Z', 168],
    ['30d', '2026-03-01T10:30:20Z', '2026-01-30T12:00:00.000Z', '2026-03-01T12:00:00.000Z', 120],
  ] as const)('%s at %s spans %s..%s in %d buckets', (window, now, from, to, count) => {
    const grid = historyGrid(window, new Date(now));
    expect([grid.from.toISOString(), grid.to.toISOString(), grid.count]).toEqual([from, to, count]);
    expect(grid.to.getTime() - grid.from.getTime()).toBe(grid.count * grid.bucketMs);
  });

  it('places times in buckets and rejects times outside', () => {
    const grid = historyGrid('1h', new Date('2026-03-01T10:30:20Z'));
    expect(bucketIndex(grid, new Date('2026-03-01T09:31:00Z'))).toBe(0);
    expect(bucketIndex(grid, new Date('2026-03-01T10:30:59Z'))).toBe(59);
    expect(bucketIndex(grid, new Date('2026-03-01T09:30:59Z'))).toBe(-1);
    expect(bucketIndex(grid, new Date('2026-03-01T10:31:00Z'))).toBe(-1);
  });
});

describe('weightedPercentile', () => {
  it.each([
    [[], 50, null],
    [[{ value: 5, weight: 0 }], 50, null],
    [
      [
        { value: 10, weight: 1 },
        { value: 20, weight: 1 },
      ],
      50,
      10,
    ],
    [
      [
        { value: 10, weight: 1 },
        { value: 20, weight: 3 },
      ],
      50,
      20,
    ],
    [
      [
        { value: 30, weight: 10 },
        { value: 10, weight: 10 },
        { value: 20, weight: 1 },
      ],
      50,
      20,
    ],
    [
      [
        { value: 10, weight: 95 },
        { value: 900, weight: 5 },
      ],
      95,
      10,
    ],
    [
      [
        { value: 10, weight: 94 },
        { value: 900, weight: 6 },
      ],
      95,
      900,
    ],
  ])('%j p%d = %s', (entries, p, expected) => {
    expect(weightedPercentile(entries, p)).toBe(expected);
  });
});

const timings = (patch: Partial<PhaseTimings>): PhaseTimings => ({ ...emptyTimings(), ...patch });
const probe = (at: string, ok: boolean, patch: Partial<PhaseTimings> = {}, throughput: number | null = null): HistoryProbe => ({
  startedAt: new Date(at),
  kind: throughput === null ? 'light' : 'deep',
  ok,
  timings: timings(patch),
  blob: throughput === null ? null : { throughputBytesPerSec: throughput },
});

describe('buildHistoryBuckets', () => {
  const grid = historyGrid('1h', new Date('2026-03-01T10:30:20Z'));

  it('returns every bucket, oldest first, empty ones with zero probes and null timings', () => {
    const buckets = buildHistoryBuckets(grid, { probes: [], rollups: [], failures: [] });
    expect(buckets).toHaveLength(60);
    expect(buckets[0]?.start).toBe('2026-03-01T09:31:00.000Z');
    expect(buckets[59]?.start).toBe('2026-03-01T10:30:00.000Z');
    expect(buckets[10]).toEqual({
      start: '2026-03-01T09:41:00.000Z',
      probes: 0,
      successes: 0,
      dnsP50Ms: null,
      connectP50Ms: null,
      tlsP50Ms: null,
      firstByteP50Ms: null,
      tokenP50Ms: null,
      manifestP50Ms: null,
      manifestP95Ms: null,
      throughputBytesPerSec: null,
      failures: {},
    });
  });

  it('takes phase medians over successful probes only and counts failures per class', () => {
    const buckets = buildHistoryBuckets(grid, {
      probes: [
        probe('2026-03-01T10:30:01Z', true, { dnsMs: 1, connectMs: 2, pingTtfbMs: 10, manifestMs: 100 }),
        probe('2026-03-01T10:30:02Z', true, { dnsMs: 3, connectMs: 4, pingTtfbMs: 30, manifestMs: 300 }, 2_000_000),
        probe('2026-03-01T10:30:03Z', true, { dnsMs: 2, connectMs: 3, pingTtfbMs: 20, manifestMs: 200 }, 1_000_000),
        probe('2026-03-01T10:30:04Z', false, { dnsMs: 900, connectMs: 9000 }),
      ],
      rollups: [],
      failures: [
        { startedAt: new Date('2026-03-01T10:30:04Z'), failureClass: 'connect_timeout' },
        { startedAt: new Date('2026-03-01T09:00:00Z'), failureClass: 'dns' },
      ],
    });
    expect(buckets[59]).toMatchObject({
      probes: 4,
      successes: 3,
      dnsP50Ms: 2,
      connectP50Ms: 3,
      tlsP50Ms: null,
      firstByteP50Ms: 20,
      manifestP50Ms: 200,
      manifestP95Ms: 300,
      throughputBytesPerSec: 1_000_000,
      failures: { connect_timeout: 1 },
    });
  });

  it('merges hourly rollups weighted by their successes, phase medians and failure counts included', () => {
    const month = historyGrid('30d', new Date('2026-03-01T10:30:00Z'));
    const rollup = (
      at: string,
      successes: number,
      p50: number,
      p95: number,
      throughput: number | null,
      patch: Partial<RollupBucket> = {},
    ): RollupBucket =>
      rollupBucket(at, {
        probes: successes + 1,
        successes,
        manifestP50Ms: p50,
        manifestP95Ms: p95,
        throughputP50BytesPerSec: throughput,
        ...patch,
      });
    const buckets = buildHistoryBuckets(month, {
      probes: [probe('2026-03-01T10:10:00Z', true, { manifestMs: 50 })],
      rollups: [
        rollup('2026-03-01T06:00:00Z', 50, 100, 400, 10, {
          dnsP50Ms: 4,
          connectP50Ms: 9,
          tlsP50Ms: 20,
          pingTtfbP50Ms: 30,
          tokenP50Ms: 70,
          failures: { dns: 1 },
        }),
        rollup('2026-03-01T07:00:00Z', 10, 300, 900, 30, {
          dnsP50Ms: 40,
          connectP50Ms: 90,
          tlsP50Ms: null,
          pingTtfbP50Ms: 300,
          tokenP50Ms: null,
          failures: { dns: 2, server_error: 1 },
        }),
        rollup('2026-03-01T08:00:00Z', 1, 999, 999, 20),
      ],
      failures: [{ startedAt: new Date('2026-03-01T10:20:00Z'), failureClass: 'timeout' }],
    });
    const last = buckets[buckets.length - 1];
    expect(last).toMatchObject({ start: '2026-03-01T06:00:00.000Z', probes: 65, successes: 62, manifestP50Ms: 100, manifestP95Ms: 900 });
    expect(last?.throughputBytesPerSec).toBe(20);
    // The busy 06:00 hour outweighs the quiet 07:00 one; a phase absent from every rollup and probe stays null.
    expect(last).toMatchObject({ dnsP50Ms: 4, connectP50Ms: 9, tlsP50Ms: 20, firstByteP50Ms: 30, tokenP50Ms: 70 });
    // Failure counts come from the rollups (raw probes past retention are gone) plus the raw part.
    expect(last?.failures).toEqual({ dns: 3, server_error: 1, timeout: 1 });
  });

  it("shows an hourly rollup's own medians in a 1-hour bucket of the 7-day chart", () => {
    const week = historyGrid('7d', new Date('2026-03-01T10:30:00Z'));
    const buckets = buildHistoryBuckets(week, {
      probes: [],
      rollups: [
        rollupBucket('2026-03-01T07:00:00Z', {
          probes: 12,
          successes: 11,
          dnsP50Ms: 2.25,
          connectP50Ms: 8,
          pingTtfbP50Ms: 31,
          tokenP50Ms: 44,
          manifestP50Ms: 60,
          manifestP95Ms: 90,
          failures: { tls: 1 },
        }),
      ],
      failures: [],
    });
    expect(buckets.find((bucket) => bucket.start === '2026-03-01T07:00:00.000Z')).toEqual({
      start: '2026-03-01T07:00:00.000Z',
      probes: 12,
      successes: 11,
      dnsP50Ms: 2.3,
      connectP50Ms: 8,
      tlsP50Ms: null,
      firstByteP50Ms: 31,
      tokenP50Ms: 44,
      manifestP50Ms: 60,
      manifestP95Ms: 90,
      throughputBytesPerSec: null,
      failures: { tls: 1 },
    });
  });
});
