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

  it('starts nothing more once aborted, and ends a wait between starts at once', async () => {
    const controller = new AbortController();
    const started: number[] = [];
    const run = runBounded([1, 2, 3, 4], {
      concurrency: 1,
      // An hour between starts: only the abort can end the wait before the first.
      staggerMs: (index) => (index === 0 ? 0 : 3_600_000),
      signal: controller.signal,
      work: async (item) => {
        started.push(item);
        // Aborted while the pool waits an hour to start the next item.
        setTimeout(() => controller.abort(), 10);
      },
      onError: () => undefined,
    });
    await run;
    expect(started).toEqual([1]);
  });
});
