import { performance } from 'node:perf_hooks';
import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';
import { withoutPrivateSeries } from './private-series-filter.js';
import { withDelayBeyondPeriod } from './event-loop-delay.js';
import { SnapshotSeries, type SnapshotKey } from './snapshot-series.js';

/**
 * How often the event-loop delay histogram behind the
 * `nodejs_eventloop_lag_*` series samples (ms). prom-client's default, 10 ms,
 * is Node's monitorEventLoopDelay timer waking the API thread a hundred times
 * a second whatever the process does: 85 ms of CPU every 20 s on this
 * 2-vCPU VM, a sixth of the process's CPU per probe at 50 mirrors every 20 s
 * (issue 10). At 100 ms it was still ten of the idle API thread's twelve
 * wake-ups a second; at 500 ms the same series are served (less the period,
 * event-loop-delay.ts), a stall of half a second or more always shows in
 * them, a shorter one when it covers one of the two samples a second (in
 * proportion to its length). What a coarser sample misses,
 * `mirrorwatch_api_event_loop_utilization` shows without any timer: the share
 * of time the loop was busy between two scrapes.
 */
export const EVENT_LOOP_SAMPLE_MS = 500;

/**
 * The Prometheus registry behind `/metrics` and the probe counter, counted as
 * this process records probes (ProbeCountReaction calls `observeProbe`): a
 * counter is per process by Prometheus convention, so only the scheduler's
 * grows. Mirrors are labelled by id only: a private mirror's URL is a personal
 * accelerator address, and its id is random; even so its series are left out
 * of the public exposition (only a METRICS_TOKEN scrape sees them). No
 * dependencies, so any module can inject it; series read at scrape
 * time (the latest probes' phases and success included, from the database, so
 * every replica shows them) live in StandingMetricsCollector.
 *
 * Per-mirror series are rendered once per snapshot of what they show
 * (SnapshotSeries), the process's own once per scrape.
 */
@Injectable()
export class MetricsService {
  /** Series of the process itself (runtime, scheduler, counters without a mirror label): collected on every scrape. */
  readonly registry = new Registry();
  private readonly sections: SnapshotSeries[] = [];
  /** Moves whenever a mirror's visibility does: every section's public text is filtered anew. */
  private visibilityVersion = 0;
  /** Moves with every probe counted or series dropped: the counter's section is rendered anew. */
  private probeCountVersion = 0;
  private readonly probes: Counter<'mirror' | 'vantage' | 'kind' | 'result'>;
  /** Exports answered before Express (export-wire-path.ts), per status, bound once: counting costs an addition. */
  private readonly wireResponses: Record<200 | 304, ReturnType<Counter<'status'>['labels']>>;
  /** Latest known visibility per mirror id, from probes and from the ranking at scrape time. */
  private readonly privateMirrors = new Set<string>();
  private readonly pageRenders: Counter<'trigger'>;
  /** Whether the dashboard's process is loaded, asked at scrape time; null when the dashboard is not served. */
  private dashboardLoaded: (() => boolean) | null = null;

  constructor() {
    withDelayBeyondPeriod(() =>
      collectDefaultMetrics({ register: this.registry, prefix: 'mirrorwatch_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS }),
    );
    this.probes = new Counter({
      name: 'mirrorwatch_probes_total',
      help: 'Probes run, by result: "ok" or the failure class',
      labelNames: ['mirror', 'vantage', 'kind', 'result'],
      registers: [this.snapshotRegistry(() => [this.probeCountVersion])],
    });
    const wire = new Counter({
      name: 'mirrorwatch_export_wire_responses_total',
      help: 'Export requests answered from prepared bytes before Express (the rest of the export requests went through Nest)',
      labelNames: ['status'],
      registers: [this.registry],
    });
    this.wireResponses = { 200: wire.labels('200'), 304: wire.labels('304') };
    this.pageRenders = new Counter({
      name: 'mirrorwatch_page_renders_total',
      help: 'Dashboard pages rendered by Next.js for the page cache: for a visitor ("visitor") or, for a page visitors asked for, ahead of them once new data is stored ("generation")',
      labelNames: ['trigger'],
      registers: [this.registry],
    });
    // Node keeps the loop's busy and idle time anyway: reading it at scrape time needs no timer.
    let utilizationAtLastScrape = performance.eventLoopUtilization();
    new Gauge({
      name: 'mirrorwatch_api_event_loop_utilization',
      help: "Share of time (0-1) the API thread's event loop was busy (not waiting for I/O or timers) since the previous scrape",
      registers: [this.registry],
      collect() {
        const now = performance.eventLoopUtilization();
        this.set(performance.eventLoopUtilization(now, utilizationAtLastScrape).utilization);
        utilizationAtLastScrape = now;
      },
    });
    const loaded = () => this.dashboardLoaded?.() ?? false;
    new Gauge({
      name: 'mirrorwatch_dashboard_loaded',
      help: "1 while the dashboard's Next.js process is loaded; 0 while it is stopped for being idle (DASHBOARD_IDLE_STOP_SECONDS), restarting or not served",
      registers: [this.registry],
      collect() {
        this.set(loaded() ? 1 : 0);
      },
    });
  }

  /**
   * A registry whose series change only when `key` does: rendered once per
   * key, not per scrape. Everything a collector in it reads must be in the key.
   */
  snapshotRegistry(key: SnapshotKey): Registry {
    const section = new SnapshotSeries(key);
    this.sections.push(section);
    return section.registry;
  }

  /** Called for every page render the page cache starts. */
  observePageRender(trigger: 'visitor' | 'generation'): void {
    this.pageRenders.inc({ trigger });
  }

  /** The dashboard's host, once it is mounted: read at scrape time. */
  watchDashboard(loaded: () => boolean): void {
    this.dashboardLoaded = loaded;
  }

  /** Called for every export the wire path answers. */
  observeWireResponse(status: 200 | 304): void {
    this.wireResponses[status].inc();
  }

  /** Called for every recorded probe, off the request path. */
  observeProbe(mirror: MirrorDefinition, vantage: string, result: ProbeResult): void {
    this.noteVisibility(mirror.id, mirror.visibility);
    const labels = { mirror: mirror.id, vantage, kind: result.kind };
    this.probes.inc({ ...labels, result: result.ok ? 'ok' : (result.failureClass ?? 'internal') });
    this.probeCountVersion += 1;
  }

  /** Drops a deleted mirror's series so it does not linger at its last value. */
  async forgetMirror(mirrorId: string): Promise<void> {
    const { values } = await this.probes.get();
    for (const { labels } of values) if (labels['mirror'] === mirrorId) this.probes.remove(labels as never);
    this.probeCountVersion += 1;
    this.forgetVisibility(mirrorId);
  }

  noteVisibility(mirrorId: string, visibility: MirrorDefinition['visibility']): void {
    if (visibility !== 'private') this.forgetVisibility(mirrorId);
    else if (!this.privateMirrors.has(mirrorId)) {
      this.privateMirrors.add(mirrorId);
      this.visibilityVersion += 1;
    }
  }

  private forgetVisibility(mirrorId: string): void {
    if (this.privateMirrors.delete(mirrorId)) this.visibilityVersion += 1;
  }

  /** The exposition; private mirrors' series only when `includePrivate` (an authenticated scrape). */
  async render(options: { includePrivate: boolean }): Promise<string> {
    const isPrivate = options.includePrivate ? null : (id: string) => this.privateMirrors.has(id);
    // Sections first, one after the other: their collectors note visibility, which the filtering after them reads.
    const sections: string[] = [];
    for (const section of this.sections) sections.push(await section.text(isPrivate, this.visibilityVersion));
    const own = await this.registry.metrics();
    return [isPrivate === null ? own : withoutPrivateSeries(own, isPrivate), ...sections].join('\n');
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
