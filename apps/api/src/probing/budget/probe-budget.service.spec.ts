import { describe, expect, it } from 'vitest';
import { ProbeBudgetService } from './probe-budget.service.js';

describe('ProbeBudgetService', () => {
  it("lets on-demand requests spend only a quarter of a mirror's budget, so the scheduler keeps the rest", () => {
    const budget = new ProbeBudgetService({ probeBudgetPerHour: 8 });
    const onDemand = [0, 1, 2].map((t) => budget.take('a', 'on_demand', t));
    expect(onDemand).toEqual([true, true, false]);
    const scheduled = [3, 4, 5, 6, 7, 8, 9].map((t) => budget.take('a', 'scheduled', t));
    expect(scheduled).toEqual([true, true, true, true, true, true, false]);
    expect(budget.take('b', 'on_demand', 10)).toBe(true);
  });
});
