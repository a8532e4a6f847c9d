import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PrerenderPoller } from './prerender-poller.js';

/** A page cache that counts prerender calls and has `wanted` pages. */
function cacheWanting(initiallyWanted: number) {
  const cache = {
    wanted: initiallyWanted,
    prerenders: 0,
    hasWanted: () => cache.wanted > 0,
    prerender: async () => {
      cache.prerenders += 1;
      return 0;
    },
  };
  return cache;
}

describe('PrerenderPoller', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('keeps no timer until a page is wanted, polls while one is, and ends by itself when none is', () => {
    const poller = new PrerenderPoller(250);
    const cache = cacheWanting(1);
    expect(vi.getTimerCount()).toBe(0);
    poller.pollWhileWanted(cache);
    poller.pollWhileWanted(cache); // a second wish while polling adds no timer
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1_000);
    expect(cache.prerenders).toBe(4);
    cache.wanted = 0;
    vi.advanceTimersByTime(250);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(10_000);
    expect(cache.prerenders).toBe(4);
    // A later visit wants a page again: polling resumes.
    cache.wanted = 1;
    poller.pollWhileWanted(cache);
    vi.advanceTimersByTime(250);
    expect(cache.prerenders).toBe(5);
  });

  it('starts nothing once stopped', () => {
    const poller = new PrerenderPoller(250);
    const cache = cacheWanting(1);
    poller.pollWhileWanted(cache);
    poller.stop();
    expect(vi.getTimerCount()).toBe(0);
    poller.pollWhileWanted(cache);
    vi.advanceTimersByTime(1_000);
    expect(vi.getTimerCount()).toBe(0);
    expect(cache.prerenders).toBe(0);
  });
});
