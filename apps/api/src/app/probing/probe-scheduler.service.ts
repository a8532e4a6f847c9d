import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { ProbeCycleService } from './probe-cycle.service.js';
import { ProbeLane, type LaneHealth } from './probe-lane.js';

export interface SchedulerHealth {
  light: LaneHealth;
  deep: LaneHealth;
}

/**
 * Two lanes: light probes every PROBE_INTERVAL_SECONDS and deep probes (blobs,
 * allowlist check) every DEEP_PROBE_INTERVAL_SECONDS. Separate lanes keep a
 * slow blob download from delaying the frequent status checks.
 */
@Injectable()
export class ProbeSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProbeSchedulerService.name);
  private readonly abort = new AbortController();
  private readonly light: ProbeLane;
  private readonly deep: ProbeLane;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly registry: SchedulerRegistry,
    cycle: ProbeCycleService,
  ) {
    const onError = (error: unknown): void => this.logger.error(error instanceof Error ? error : new Error(String(error)));
    const onOverlap = (kind: string) => () => this.logger.warn({ msg: 'probe cycle still running; tick skipped', kind });
    this.light = new ProbeLane('light', config.probeIntervalSeconds * 1000, (o) => cycle.run({ ...o, kind: 'light' }), this.abort.signal, onError, onOverlap('light'));
    this.deep = new ProbeLane('deep', config.deepProbeIntervalSeconds * 1000, (o) => cycle.run({ ...o, kind: 'deep' }), this.abort.signal, onError, onOverlap('deep'));
  }

  onApplicationBootstrap(): void {
    const lightInterval = this.light.snapshot().intervalSeconds * 1000;
    const deepInterval = this.deep.snapshot().intervalSeconds * 1000;
    // Statuses first: the first deep cycle follows the first light cycle.
    this.light.tick();
    void this.light.settle().then(() => this.abort.signal.aborted || this.deep.tick());
    this.registry.addInterval('light-probes', setInterval(() => this.light.tick(), lightInterval));
    this.registry.addInterval('deep-probes', setInterval(() => this.deep.tick(), deepInterval));
  }

  async onApplicationShutdown(): Promise<void> {
    for (const name of ['light-probes', 'deep-probes']) {
      if (this.registry.doesExist('interval', name)) this.registry.deleteInterval(name);
    }
    this.abort.abort();
    await Promise.all([this.light.settle(), this.deep.settle()]);
  }

  snapshotHealth(): SchedulerHealth {
    return { light: this.light.snapshot(), deep: this.deep.snapshot() };
  }

  /** Admin "probe now": a light cycle now, or the one in flight. */
  runNow(): Promise<void> {
    return this.light.runNow();
  }
}
