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

describe('MetricsService.render', () => {
  const mirror = (id: string, visibility: 'public' | 'private') => ({ id, visibility }) as Parameters<MetricsService['observeProbe']>[0];
  const result = (ok: boolean) =>
    ({ kind: 'light', ok, failureClass: ok ? null : 'timeout' }) as Parameters<MetricsService['observeProbe']>[2];
  const count = (text: string, labels: string) =>
    Number(new RegExp(`^mirrorwatch_probes_total\\{${labels}\\} (\\d+)$`, 'm').exec(text)?.[1] ?? 'NaN');

  it('counts every probe at once although the counter is rendered once per change', async () => {
    const metrics = new MetricsService();
    metrics.observeProbe(mirror('hub-a', 'public'), 'local', result(true));
    const labels = 'mirror="hub-a",vantage="local",kind="light",result="ok"';
    expect(count(await metrics.render({ includePrivate: false }), labels)).toBe(1);
    metrics.observeProbe(mirror('hub-a', 'public'), 'local', result(true));
    expect(count(await metrics.render({ includePrivate: false }), labels)).toBe(2);
  });

  it("keeps private mirrors' series for authenticated scrapes, also once a public mirror turns private", async () => {
    const metrics = new MetricsService();
    metrics.observeProbe(mirror('hub-a', 'public'), 'local', result(false));
    metrics.observeProbe(mirror('private-9c', 'private'), 'local', result(true));
    const shown = await metrics.render({ includePrivate: false });
    expect(shown).toContain('mirror="hub-a"');
    expect(shown).not.toContain('private-9c');
    expect(await metrics.render({ includePrivate: true })).toContain('mirror="private-9c"');
    // The admin makes hub-a private: no probe counted since, the public text must still lose it.
    metrics.noteVisibility('hub-a', 'private');
    expect(await metrics.render({ includePrivate: false })).not.toContain('hub-a');
  });
});
