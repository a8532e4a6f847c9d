import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.js';

describe('percentile (nearest rank)', () => {
  it.each([
    [[], 50, null],
    [[42], 50, 42],
    [[42], 0, 42],
    [[3, 1, 2], 50, 2],
    [[1, 2, 3, 4], 50, 2],
    [[1, 2, 3, 4], 51, 3],
    [[1, 2, 3, 4], 100, 4],
    [[1, 2, 3, 4], 0, 1],
    [[15, 20, 35, 40, 50], 30, 20],
    [[15, 20, 35, 40, 50], 40, 20],
    [[15, 20, 35, 40, 50], 95, 50],
    [[1, Number.NaN, 3, Number.POSITIVE_INFINITY], 100, 3],
  ])('%j p%d -> %s', (values, p, expected) => {
    expect(percentile(values, p)).toBe(expected);
  });

  it('does not reorder its input', () => {
    const values = [3, 1, 2];
    percentile(values, 50);
    expect(values).toEqual([3, 1, 2]);
  });

  it.each([-1, 101, Number.NaN])('rejects p=%s', (p) => {
    expect(() => percentile([1], p)).toThrow(RangeError);
  });
});
