import { describe, expect, it } from 'vitest';
import { DOCKERD_HANG_COST_MS, expectedPullCostMs, failureChance, recommendedLength, type PullCostInput } from './pull-cost.js';

const mirror = (override: Partial<PullCostInput> = {}): PullCostInput => ({
  manifestP50Ms: 200,
  probes: 1438,
  successes: 1438,
  hangs: 0,
  servedShare: 1,
  ...override,
});

describe('expectedPullCostMs', () => {
  it('is the fallback alone for an empty list', () => {
    expect(expectedPullCostMs([], 15_000)).toBe(15_000);
  });

  it('is about the manifest time for a mirror that always works', () => {
    const cost = expectedPullCostMs([mirror()], DOCKERD_HANG_COST_MS);
    expect(cost).toBeGreaterThan(200);
    expect(cost).toBeLessThan(215);
  });

  it('charges a hanging failure the whole dockerd timeout, a fast one only its round trip', () => {
    const hanging = mirror({ successes: 1296, hangs: 142 });
    const refusing = mirror({ successes: 1296, hangs: 0 });
    const after = [mirror({ manifestP50Ms: 300 })];
    expect(expectedPullCostMs([hanging, ...after], 15_000) - expectedPullCostMs([refusing, ...after], 15_000)).toBeGreaterThan(1_000);
  });

  it('counts an image the mirror does not serve as a fallback', () => {
    expect(failureChance(mirror({ servedShare: 0.5 }))).toBeGreaterThan(0.49);
  });
});

describe('recommendedLength', () => {
  const options = { minSavingMs: 5, max: 10 };

  it('stops where one more reliable mirror saves less than the threshold', () => {
    const length = recommendedLength([mirror(), mirror(), mirror(), mirror()], 15_000, options);
    expect(length).toBe(2);
  });

  it('takes more mirrors when they fail often', () => {
    const flaky = mirror({ successes: 1100, hangs: 100 });
    expect(recommendedLength([flaky, flaky, flaky, flaky, flaky], 15_000, options)).toBeGreaterThan(2);
  });

  it('is 0 with no mirror and never exceeds max', () => {
    expect(recommendedLength([], 15_000, options)).toBe(0);
    const flaky = mirror({ probes: 10, successes: 1 });
    expect(
      recommendedLength(
        Array.from({ length: 20 }, () => flaky),
        15_000,
        { minSavingMs: 0, max: 10 },
      ),
    ).toBe(10);
  });
});
