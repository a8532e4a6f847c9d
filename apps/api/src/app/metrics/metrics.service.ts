import { Injectable } from '@nestjs/common';
import { Counter, Registry, collectDefaultMetrics } from 'prom-client';
import type { MirrorDefinition, ProbeResult } from '@mirrorwatch/domain';

/**
 * The Prometheus registry behind `/metrics` and the probe counter, counted as
 * this process records probes (the state tracker calls `observeProbe`): a
 * counter is per process by Prometheus convention, so only the scheduler's
 * grows. Mirrors are labelled by id only: a private mirror's URL is a personal
 * accelerator address. No dependencies, so the probing services can inject
 * it; series read at scrape time (the latest probes' phases and success
 * included, from the database, so every replica shows them) live in
 * StandingMetricsCollector.
 */
@Injectable()
export class MetricsService {
  readonly registry = new Registry();
  private readonly probes: Counter<'mirror' | 'vantage' | 'kind' | 'result'>;

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'mirrorwatch_' });
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
    this.probes.inc({ ...labels, result: result.ok ? 'ok' : (result.failureClass ?? 'internal') });
  }

  /** Drops a deleted mirror's series so it does not linger at its last value. */
  async forgetMirror(mirrorId: string): Promise<void> {
    const { values } = await this.probes.get();
    for (const { labels } of values) if (labels['mirror'] === mirrorId) this.probes.remove(labels as never);
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}
