import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';
import { BLACKBOX_PHASES, blackboxPhaseSeconds } from './probe-phases.js';

/**
 * The Prometheus registry behind `/metrics` and the per-probe series, set as
 * probes are recorded (the state tracker calls `observeProbe`). Mirrors are
 * labelled by id only: a private mirror's URL is a personal accelerator
 * address. No dependencies, so the probing services can inject it; figures
 * read at scrape time live in StandingMetricsCollector.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly phaseDuration: Gauge<'mirror' | 'vantage' | 'kind' | 'phase'>;
  private readonly success: Gauge<'mirror' | 'vantage' | 'kind'>;
  private readonly probes: Counter<'mirror' | 'vantage' | 'kind' | 'result'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mirrorwatch_' });
    this.phaseDuration = new Gauge({
      name: 'mirrorwatch_probe_duration_seconds',
      help: 'Duration of each phase of the latest probe, blackbox_exporter style',
      labelNames: ['mirror', 'vantage', 'kind', 'phase'],
      registers: [this.registry],
    });
    this.success = new Gauge({
      name: 'mirrorwatch_probe_success',
      help: 'Whether the latest probe succeeded (1) or failed (0)',
      labelNames: ['mirror', 'vantage', 'kind'],
      registers: [this.registry],
    });
    this.probes = new Counter({
      name: 'mirrorwatch_probes_total',
      help: 'Probes run, by result: "ok" or the failure class',
      labelNames: ['mirror', 'vantage', 'kind', 'result'],
      registers: [this.registry],
    });
  }

  /** Called for every recorded probe, off the request path. */
  observeProbe(mirror: MirrorDefinition, vantage: string, result: ProbeResult): void {
    const labels = { mirror: mirror.id, vantage, kind: result.kind };
    const seconds = blackboxPhaseSeconds(result.timings);
    for (const phase of BLACKBOX_PHASES) this.phaseDuration.set({ ...labels, phase }, seconds[phase]);
    this.success.set(labels, result.ok ? 1 : 0);
    this.probes.inc({ ...labels, result: result.ok ? 'ok' : (result.failureClass ?? 'internal') });
  }

  /** Drops a deleted mirror's series so it does not linger at its last value. */
  async forgetMirror(mirrorId: string): Promise<void> {
    for (const metric of [this.phaseDuration, this.success, this.probes] as const) {
      const { values } = await metric.get();
      for (const { labels } of values) if (labels['mirror'] === mirrorId) metric.remove(labels as never);
    }
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
