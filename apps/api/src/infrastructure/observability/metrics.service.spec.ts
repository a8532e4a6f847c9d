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
});
