import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { RollupJobService } from './rollup-job.service.js';
import { nextRollupAt } from './rollup-plan.js';

const TIMEOUT_NAME = 'probe-rollup';

/**
 * Runs the rollup when this replica becomes the probe scheduler (catching up
 * on hours missed while no one was), then shortly after every hour while it
 * still is: replicas sharing a database roll up once, not once each.
 * `@nestjs/schedule` has no overlap guard: a run still going when the next is
 * due makes that one a skip.
 */
@Injectable()
export class RollupSchedulerService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(RollupSchedulerService.name);
  private current: Promise<void> | null = null;
  private stopped = false;
  /** Aborted at shutdown: a running pass stops after its current slice and the next start resumes it. */
  private readonly abort = new AbortController();

  constructor(
    private readonly registry: SchedulerRegistry,
    private readonly job: RollupJobService,
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
    this.current = this.job
      .run(new Date(), this.abort.signal)
      .then(() => undefined)
      .catch((error: unknown) => this.logger.error(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.current = null;
      });
  }
}
