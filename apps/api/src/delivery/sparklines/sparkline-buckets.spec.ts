import { describe, expect, it } from 'vitest';
import { emptyTimings } from '@mirrorwatch/domain';
import type { RollupBucket } from '@mirrorwatch/scoring';
import { rollupBucket } from '#infrastructure/persistence/testing/rollup-bucket.fixture.js';
import { buildHistoryBuckets, type HistoryProbe } from '../history/history-buckets.js';
import { expandSparkline } from '@mirrorwatch/api-types';
import { sparklineGrid, toSparkline } from './sparkline-buckets.js';

describe('sparklineGrid', () => {
  it.each([
    ['2026-03-01T10:30:20Z', '2026-02-28T11:00:00.000Z', '2026-03-01T11:00:00.000Z'],
    ['2026-03-01T10:00:00Z', '2026-02-28T11:00:00.000Z', '2026-03-01T11:00:00.000Z'],
    ['2026-03-01T09:59:59.999Z', '2026-02-28T10:00:00.000Z', '2026-03-01T10:00:00.000Z'],
  ])('at %s: 24 whole hours %s..%s', (now, from, to) => {
    const grid = sparklineGrid(new Date(now));
    expect([grid.from.toISOString(), grid.to.toISOString(), grid.count, grid.bucketMs]).toEqual([from, to, 24, 3_600_000]);
  });
});

describe('toSparkline', () => {
  const grid = sparklineGrid(new Date('2026-03-01T10:30:20Z'));
  const probe = (at: string, ok: boolean, manifestMs: number | null): HistoryProbe => ({
    startedAt: new Date(at),
    kind: 'light',
    ok,
    timings: { ...emptyTimings(), manifestMs },
    blob: null,
  });
  const rollup = (at: string, probes: number, successes: number, p50: number | null): RollupBucket =>
    rollupBucket(at, { probes, successes, manifestP50Ms: p50, manifestP95Ms: p50 });

  it('gives a success ratio and manifest p50 per hour, null where nothing ran or nothing succeeded', () => {
    const sparkline = toSparkline(
      buildHistoryBuckets(grid, {
        probes: [
          probe('2026-03-01T10:01:00Z', true, 80),
          probe('2026-03-01T10:02:00Z', true, 120),
          probe('2026-03-01T10:03:00Z', true, 100),
          probe('2026-03-01T10:04:00Z', false, null),
        ],
        rollups: [rollup('2026-03-01T08:00:00Z', 60, 30, 250), rollup('2026-03-01T09:00:00Z', 10, 0, null)],
        failures: [],
      }),
    );
    expect(sparkline.from).toBe('2026-02-28T11:00:00.000Z');
    expect([sparkline.successRate.length, sparkline.manifestP50Ms.length]).toEqual([24, 24]);
    const buckets = expandSparkline(sparkline);
    expect(buckets[0]).toEqual({ start: '2026-02-28T11:00:00.000Z', successRate: null, manifestP50Ms: null });
    expect(buckets.slice(-3)).toEqual([
      { start: '2026-03-01T08:00:00.000Z', successRate: 0.5, manifestP50Ms: 250 },
      { start: '2026-03-01T09:00:00.000Z', successRate: 0, manifestP50Ms: null },
      { start: '2026-03-01T10:00:00.000Z', successRate: 0.75, manifestP50Ms: 100 },
    ]);
  });

  it('rounds the ratio to 4 places and the latency to 0.1 ms, to keep the response small', () => {
    const sparkline = toSparkline(
      buildHistoryBuckets(grid, { probes: [], rollups: [rollup('2026-03-01T08:00:00Z', 3, 2, 57.123456)], failures: [] }),
    );
    expect([sparkline.successRate[21], sparkline.manifestP50Ms[21]]).toEqual([0.6667, 57.1]);
  });
});
