import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { CatchUpProgress } from './catch-up-progress.js';
import { RollupJobThread, type RollupThreadRun } from './job-thread/rollup-job-thread.js';
import { nextRollupAt } from './rollup-plan.js';

const TIMEOUT_NAME = 'probe-rollup';

/**
 * Runs the rollup when this replica becomes the probe scheduler (catching up
 * on hours missed while no one was), then shortly after every hour while it
 * still is: replicas sharing a database roll up once, not once each.
 * `@nestjs/schedule` has no overlap guard: a run still going when the next is
 * due makes that one a skip. Each pass runs on its own thread with its own
 * database connection (RollupJobThread): the API thread, which serves HTTP,
 * only relays its progress to readiness.
 */
@Injectable()
export class RollupSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RollupSchedulerService.name);
  private current: Promise<void> | null = null;
  private stopped = false;
  /** Aborted at shutdown: a running pass stops after its current slice and the next start resumes it. */
  private readonly abort = new AbortController();

  private readonly thread = new RollupJobThread();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly progress: CatchUpProgress,
    private readonly leadership: SchedulerLeadership,
  ) {
    leadership.subscribe({ gained: async () => this.trigger(), lost: async () => undefined });
  }

  onApplicationBootstrap(): void {
    this.scheduleNext();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    if (this.registry.doesExist('timeout', TIMEOUT_NAME)) this.registry.deleteTimeout(TIMEOUT_NAME);
    await this.current;
  }

  private scheduleNext(): void {
    if (this.stopped) return;
    if (this.registry.doesExist('timeout', TIMEOUT_NAME)) this.registry.deleteTimeout(TIMEOUT_NAME);
    const delayMs = Math.max(0, nextRollupAt(new Date()).getTime() - Date.now());
    const timer = setTimeout(() => {
      this.trigger();
      this.scheduleNext();
    }, delayMs);
    timer.unref();
    this.registry.addTimeout(TIMEOUT_NAME, timer);
  }

  private trigger(): void {
    if (this.stopped || !this.leadership.isLeader()) return;
    if (this.current) {
      this.logger.warn({ msg: 'probe rollup still running; skipping this run' });
      return;
    }
    this.current = this.thread
      .run({
        databaseUrl: this.config.databaseUrl,
        rawProbeRetentionDays: this.config.rawProbeRetentionDays,
        rollupBusyPercent: this.config.rollupBusyPercent,
        now: new Date(),
        progress: this.progress,
        signal: this.abort.signal,
      })
      .then((result) => this.report(result))
      .catch((error: unknown) => {
        const failure = error instanceof Error ? error : new Error(String(error));
        // Ended by our own shutdown: expected, and the next start resumes the pass.
        if (this.stopped) this.logger.warn({ msg: 'probe rollup stopped at shutdown', reason: failure.message });
        else this.logger.error(failure);
      })
      .finally(() => {
        this.current = null;
      });
  }

  private report(result: RollupThreadRun): void {
    const { from, ...counts } = result;
    this.logger.log({ msg: result.aborted ? 'probe rollup stopped early' : 'probe rollup finished', from: from.toISOString(), ...counts });
  }
}
