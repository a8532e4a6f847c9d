import { describe, expect, it } from 'vitest';
import { TimedPageSize } from './timed-page-size.js';

const LIMITS = { min: 50, max: 1_000, first: 200, targetMs: 10 };

describe('TimedPageSize', () => {
  it('starts at the first size, clamped to the limits', () => {
    expect(new TimedPageSize(LIMITS).next).toBe(200);
    expect(new TimedPageSize({ ...LIMITS, first: 5 }).next).toBe(50);
    expect(new TimedPageSize({ ...LIMITS, first: 5_000 }).next).toBe(1_000);
  });

  it('halves after a page that ran past the target, down to the minimum', () => {
    const size = new TimedPageSize(LIMITS);
    const seen: number[] = [];
    for (let page = 0; page < 4; page += 1) {
      size.took(40);
      seen.push(size.next);
    }
    expect(seen).toEqual([100, 50, 50, 50]);
  });

  it('grows by half after a page under half the target, up to the maximum, and holds in between', () => {
    const size = new TimedPageSize(LIMITS);
    size.took(2);
    expect(size.next).toBe(300);
    size.took(7);
    expect(size.next).toBe(300);
    for (let page = 0; page < 10; page += 1) size.took(1);
    expect(size.next).toBe(1_000);
  });

  it('refuses limits that cannot hold a page', () => {
    expect(() => new TimedPageSize({ ...LIMITS, min: 0 })).toThrow(/min/);
    expect(() => new TimedPageSize({ ...LIMITS, max: 10 })).toThrow(/min/);
    expect(() => new TimedPageSize({ ...LIMITS, targetMs: 0 })).toThrow(/targetMs/);
  });
});
