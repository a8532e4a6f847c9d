import { createRequire } from 'node:module';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EVENT_LOOP_SAMPLE_MS, MetricsService } from './metrics.service.js';

// prom-client reaches perf_hooks through require: spy on that same module object.
const perfHooks = createRequire(import.meta.url)('node:perf_hooks') as typeof import('node:perf_hooks');

describe('MetricsService', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('samples the event-loop delay every EVENT_LOOP_SAMPLE_MS, not every 10 ms, and still serves the lag series', async () => {
    const monitor = vi.spyOn(perfHooks, 'monitorEventLoopDelay');
    const metrics = new MetricsService();
    expect(monitor).toHaveBeenCalledWith({ resolution: EVENT_LOOP_SAMPLE_MS });
    expect(EVENT_LOOP_SAMPLE_MS).toBeGreaterThanOrEqual(100);
    const exposition = await metrics.registry.metrics();
    for (const series of ['lag_seconds', 'lag_max_seconds', 'lag_p50_seconds', 'lag_p99_seconds'])
      expect(exposition).toContain(`mirrorwatch_nodejs_eventloop_${series} `);
  });

  it("serves the API thread's event-loop utilization since the previous scrape, timer-free", async () => {
    const metrics = new MetricsService();
    await metrics.registry.metrics();
    // Busy for ~30 ms, then idle for ~30 ms: about half.
    const busyUntil = performance.now() + 30;
    while (performance.now() < busyUntil);
    await new Promise((resolve) => setTimeout(resolve, 30));
    const value = Number(/^mirrorwatch_api_event_loop_utilization ([\d.e-]+)$/m.exec(await metrics.registry.metrics())?.[1]);
    expect(value).toBeGreaterThan(0.2);
    expect(value).toBeLessThan(1);
  });
});
