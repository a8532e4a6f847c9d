import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { percentile } from './percentile.js';
import { weightedPercentile } from './weighted-percentile.js';

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

  it('answers as the weighted nearest rank with every weight 1', () => {
    // `+ 0` turns -0 into 0: the two sorts may order -0 and 0 differently, and no latency is -0.
    const finiteSample = fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((value) => value + 0);
    const sample = fc.oneof(finiteSample, fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, 0));
    fc.assert(
      fc.property(fc.array(sample, { maxLength: 60 }), fc.integer({ min: 0, max: 100 }), (values, p) => {
        const unitWeights = values.filter((value) => Number.isFinite(value)).map((value) => ({ value, weight: 1 }));
        expect(percentile(values, p)).toBe(weightedPercentile(unitWeights, p));
      }),
    );
  });

  it.each([-1, 101, Number.NaN])('rejects p=%s', (p) => {
    expect(() => percentile([1], p)).toThrow(RangeError);
  });
});
