export interface DeliveryJob {
  /** Who it is for, for logs: a channel name, never its URL (webhook URLs carry tokens). */
  label: string;
  send(): Promise<void>;
}

export interface DeliveryQueueOptions {
  maxAttempts: number;
  /** Delay before retry n (1-based) is baseDelayMs * 2^(n-1), capped, with ±20 % jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  concurrency: number;
  onDelivered?(job: DeliveryJob, attempts: number): void;
  onRetry?(job: DeliveryJob, attempt: number, error: unknown, delayMs: number): void;
  onGiveUp?(job: DeliveryJob, attempts: number, error: unknown): void;
}

/**
 * Sends jobs in the background with bounded concurrency and exponential
 * backoff. `enqueue` returns at once: a slow or dead chat service must never
 * hold up a probe cycle. Timers are unref'd so they never keep the process up.
 */
export class DeliveryQueue {
  private readonly waiting: { job: DeliveryJob; attempt: number }[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private inFlight = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly options: DeliveryQueueOptions) {}

  enqueue(job: DeliveryJob): void {
    this.waiting.push({ job, attempt: 1 });
    this.pump();
  }

  /** Resolves when nothing is queued, in flight or waiting for a retry (tests, shutdown). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Drops pending retries (shutdown). */
  close(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.waiting.length = 0;
    this.checkIdle();
  }

  private pump(): void {
    while (this.inFlight < this.options.concurrency && this.waiting.length > 0) {
      const next = this.waiting.shift() as { job: DeliveryJob; attempt: number };
      this.inFlight += 1;
      void this.run(next.job, next.attempt).finally(() => {
        this.inFlight -= 1;
        this.pump();
        this.checkIdle();
      });
    }
  }

  private async run(job: DeliveryJob, attempt: number): Promise<void> {
    try {
      await job.send();
      this.options.onDelivered?.(job, attempt);
    } catch (error) {
      if (attempt >= this.options.maxAttempts) {
        this.options.onGiveUp?.(job, attempt, error);
        return;
      }
      const exponential = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
      const delayMs = Math.round(exponential * (0.8 + Math.random() * 0.4));
      this.options.onRetry?.(job, attempt, error, delayMs);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.waiting.push({ job, attempt: attempt + 1 });
        this.pump();
      }, delayMs);
      timer.unref();
      this.timers.add(timer);
    }
  }

  private isIdle(): boolean {
    return this.inFlight === 0 && this.waiting.length === 0 && this.timers.size === 0;
  }

  private checkIdle(): void {
    if (!this.isIdle()) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
