import { describe, expect, it } from 'vitest';
import { ProbeBudget } from './probe-budget.js';

describe('ProbeBudget', () => {
  it('allows up to the budget within the window, per mirror', () => {
    const budget = new ProbeBudget(3, 60_000);
    expect([0, 1, 2, 3].map((t) => budget.take('a', t * 1000))).toEqual([true, true, true, false]);
    expect(budget.take('b', 4000)).toBe(true);
  });

  it('frees a slot once the oldest probe leaves the window', () => {
    const budget = new ProbeBudget(2, 60_000);
    expect(budget.take('a', 0)).toBe(true);
    expect(budget.take('a', 30_000)).toBe(true);
    expect(budget.take('a', 59_999)).toBe(false);
    expect(budget.take('a', 60_000)).toBe(true);
  });
});
