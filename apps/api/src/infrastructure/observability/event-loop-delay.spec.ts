import { createRequire } from 'node:module';
import type { IntervalHistogram } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { withDelayBeyondPeriod } from './event-loop-delay.js';

const perfHooks = createRequire(import.meta.url)('node:perf_hooks') as typeof import('node:perf_hooks');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('withDelayBeyondPeriod', () => {
  it("reports the loop's delay beyond the sampling period: near zero while idle, the stall when blocked", async () => {
    const original = perfHooks.monitorEventLoopDelay;
    const histogram = withDelayBeyondPeriod(() => perfHooks.monitorEventLoopDelay({ resolution: 20 }));
    // Swapped only while registering.
    expect(perfHooks.monitorEventLoopDelay).toBe(original);
    const raw: IntervalHistogram = original({ resolution: 20 });
    histogram.enable();
    raw.enable();
    try {
      await sleep(300);
      // Node's own histogram reads at least the 20 ms period while idle; the adapted one what is left of it
      // (compared with each other, not with a fixed figure, so a loaded CI machine cannot fail it).
      expect(raw.percentile(50) / 1e6).toBeGreaterThanOrEqual(19);
      // Both sample the same loop, so their medians differ by about the period, whatever the load.
      expect((raw.percentile(50) - histogram.percentile(50)) / 1e6).toBeGreaterThan(10);
      const blockedUntil = performance.now() + 150;
      while (performance.now() < blockedUntil);
      await sleep(60);
      expect(histogram.max / 1e6).toBeGreaterThanOrEqual(100);
      expect(histogram.max / 1e6).toBeLessThan(raw.max / 1e6);
      histogram.reset();
      expect(histogram.max).toBe(0);
    } finally {
      histogram.disable();
      raw.disable();
    }
  });
});
