import { describe, expect, it } from 'vitest';
import { runBounded } from './bounded-pool.js';

describe('runBounded', () => {
  it('never exceeds the concurrency limit and runs every item once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runBounded([1, 2, 3, 4, 5, 6, 7], {
      concurrency: 3,
      staggerMs: () => 0,
      work: async (item) => {
        inFlight += 1;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 5));
        seen.push(item);
        inFlight -= 1;
      },
      onError: () => undefined,
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('reports a failing item and keeps going', async () => {
    const failed: string[] = [];
    const done: string[] = [];
    await runBounded(['a', 'b', 'c'], {
      concurrency: 2,
      staggerMs: () => 0,
      work: async (item) => {
        if (item === 'b') throw new Error('boom');
        done.push(item);
      },
      onError: (item) => failed.push(item),
    });
    expect(failed).toEqual(['b']);
    expect(done.sort()).toEqual(['a', 'c']);
  });

  it('staggers starts through the injected sleep', async () => {
    const delays: number[] = [];
    await runBounded([0, 1, 2], {
      concurrency: 3,
      staggerMs: (index) => index * 100,
      work: async () => undefined,
      onError: () => undefined,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(delays.sort((a, b) => a - b)).toEqual([100, 200]);
  });
});
