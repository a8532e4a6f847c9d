import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { ProbeCycleService } from './probe-cycle.service.js';

const INTERVAL_NAME = 'light-probe-cycle';

export interface SchedulerHealth {
  running: boolean;
  cyclesCompleted: number;
  cyclesSkippedForOverlap: number;
  lastCycleStartedAt: Date | null;
  lastCycleFinishedAt: Date | null;
  lastCycleDurationMs: number | null;
  /** How late the last cycle started relative to its schedule. */
  lastCycleLagMs: number | null;
}

/**
 * Fires a probe cycle every PROBE_INTERVAL_SECONDS. `@nestjs/schedule` has no
 * overlap guard, so a cycle that is still running when the next tick comes
 * makes that tick a counted skip instead of a second concurrent cycle.
 */
@Injectable()
export class ProbeSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ProbeSchedulerService.name);
  private current: Promise<void> | null = null;
  private nextDueAt = 0;
  private readonly abort = new AbortController();
  private readonly health: SchedulerHealth = {
    running: false,
    cyclesCompleted: 0,
    cyclesSkippedForOverlap: 0,
    lastCycleStartedAt: null,
    lastCycleFinishedAt: null,
    lastCycleDurationMs: null,
    lastCycleLagMs: null,
  };

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly cycle: ProbeCycleService,
  ) {}

  onApplicationBootstrap(): void {
    const intervalMs = this.config.probeIntervalSeconds * 1000;
    this.nextDueAt = Date.now();
    this.tick();
    this.registry.addInterval(INTERVAL_NAME, setInterval(() => this.tick(), intervalMs));
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    this.abort.abort();
    await this.current;
  }

  snapshotHealth(): SchedulerHealth {
    return { ...this.health };
  }

  /** Runs a cycle now (admin "probe now"), or joins the one in flight. */
  runNow(): Promise<void> {
    return this.current ?? this.start(Date.now());
  }

  private tick(): void {
    const dueAt = this.nextDueAt;
    this.nextDueAt = Math.max(dueAt, Date.now()) + this.config.probeIntervalSeconds * 1000;
    if (this.current) {
      this.health.cyclesSkippedForOverlap += 1;
      this.logger.warn({ msg: 'probe cycle still running; skipping this tick' });
      return;
    }
    void this.start(dueAt);
  }

  private start(dueAt: number): Promise<void> {
    const startedAt = new Date();
    this.health.running = true;
    this.health.lastCycleStartedAt = startedAt;
    this.health.lastCycleLagMs = Math.max(0, startedAt.getTime() - dueAt);
    const run = this.cycle
      .run({ signal: this.abort.signal, budgetMs: this.config.probeIntervalSeconds * 1000 })
      .catch((error: unknown) => this.logger.error(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        const finishedAt = new Date();
        this.health.running = false;
        this.health.cyclesCompleted += 1;
        this.health.lastCycleFinishedAt = finishedAt;
        this.health.lastCycleDurationMs = finishedAt.getTime() - startedAt.getTime();
        this.current = null;
      });
    this.current = run;
    return run;
  }
}
