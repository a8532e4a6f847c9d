import { describe, expect, it } from 'vitest';
import { probeWaveStarts } from './probe-waves.js';

const startedAt = 1_000_000;

describe('probeWaveStarts', () => {
  it('starts every probe at once when all fit in flight', () => {
    expect(probeWaveStarts({ count: 3, concurrency: 4, waveSize: 4, budgetMs: 20_000, startedAt })).toEqual([
      startedAt,
      startedAt,
      startedAt,
    ]);
    expect(probeWaveStarts({ count: 0, concurrency: 4, waveSize: 4, budgetMs: 20_000, startedAt })).toEqual([]);
  });

  it('groups probes in waves of the concurrency, each wave starting together, the first on the schedule', () => {
    const starts = probeWaveStarts({ count: 10, concurrency: 4, waveSize: 4, budgetMs: 20_000, startedAt, random: () => 0 });
    // Half the interval over ten probes: 1 s apart one at a time, so 4 s between waves of four.
    expect(starts).toEqual([0, 0, 0, 0, 4_000, 4_000, 4_000, 4_000, 8_000, 8_000].map((offset) => startedAt + offset));
  });

  it('spreads no wider than half the interval and no wider than the one-at-a-time cap', () => {
    for (const [count, concurrency, budgetMs] of [
      [50, 4, 20_000],
      [7, 2, 60_000],
      [100, 3, 1_800_000],
      [5, 1, 10_000],
    ] as const) {
      const starts = probeWaveStarts({ count, concurrency, waveSize: concurrency, budgetMs, startedAt, random: () => 0.999 });
      const spread = Math.max(...starts) - startedAt;
      expect(spread).toBeLessThanOrEqual(budgetMs * 0.5 * 1.25);
      expect(spread).toBeLessThanOrEqual(count * 2_000 * 1.25);
      expect(new Set(starts).size).toBe(Math.ceil(count / concurrency));
      expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    }
  });

  it('jitters each later wave as a whole, by at most a quarter of the gap between waves', () => {
    const draws = [0.5, 1];
    const starts = probeWaveStarts({ count: 9, concurrency: 3, waveSize: 3, budgetMs: 9_000, startedAt, random: () => draws.shift() ?? 0 });
    // 500 ms apart one at a time, so 1.5 s between waves of three; jitter up to 375 ms.
    expect(starts).toEqual([0, 0, 0, 1_688, 1_688, 1_688, 3_375, 3_375, 3_375].map((offset) => startedAt + offset));
  });

  it('spreads waves of one one at a time (deep probes), unless all fit in flight', () => {
    const starts = probeWaveStarts({ count: 6, concurrency: 4, waveSize: 1, budgetMs: 6_000, startedAt, random: () => 0 });
    expect(starts).toEqual([0, 500, 1_000, 1_500, 2_000, 2_500].map((offset) => startedAt + offset));
    const few = probeWaveStarts({ count: 3, concurrency: 4, waveSize: 1, budgetMs: 3_000, startedAt, random: () => 0 });
    expect(few).toEqual([startedAt, startedAt, startedAt]);
  });

  it('never makes a wave larger than the concurrency, and treats sizes below one as one', () => {
    const wide = probeWaveStarts({ count: 4, concurrency: 2, waveSize: 8, budgetMs: 4_000, startedAt, random: () => 0 });
    expect(wide).toEqual([0, 0, 1_000, 1_000].map((offset) => startedAt + offset));
    const none = probeWaveStarts({ count: 3, concurrency: 0, waveSize: 0, budgetMs: 3_000, startedAt, random: () => 0 });
    // A concurrency of one: one at a time.
    expect(none).toEqual([startedAt, startedAt + 500, startedAt + 1_000]);
  });
});
