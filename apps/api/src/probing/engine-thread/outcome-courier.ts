import type { EngineOutcome } from './engine-messages.js';

/** The longest a finished probe's outcome waits for the others still running before it is sent anyway. */
export const MAX_HOLD_MS = 25;

/**
 * Sends finished probes' outcomes to the API thread in as few messages as
 * their timing allows: each message wakes the API thread (~0.2 ms of CPU on
 * a 2-core VM before any work), and the probes of a wave finish within a few
 * milliseconds of each other. An outcome goes at the end of the current turn
 * when nothing else is running, else with the last of the running ones, or
 * after MAX_HOLD_MS at the latest (a hanging mirror never holds the others
 * back longer). The cycle stores its outcomes when it ends, so the wait costs
 * nothing that anyone sees. "Nothing else is running" is judged at the end of
 * the turn: a wave's next probe starts in the same turn its predecessor ended
 * (due-timers.ts), and its outcome goes with the ones before it.
 */
export class OutcomeCourier {
  private batch: EngineOutcome[] = [];
  private running = 0;
  private holdTimer: NodeJS.Timeout | null = null;
  private flushQueued = false;

  constructor(private readonly send: (outcomes: EngineOutcome[]) => void) {}

  /** A probe has started: its outcome will come. */
  started(): void {
    this.running += 1;
  }

  /** A started probe's outcome (`wasRunning`), or one of a probe that never started. */
  deliver(outcome: EngineOutcome, wasRunning: boolean): void {
    if (wasRunning) this.running -= 1;
    this.batch.push(outcome);
    if (this.running === 0) {
      if (!this.flushQueued) {
        this.flushQueued = true;
        setImmediate(() => this.flushIfIdle());
      }
    } else {
      this.holdTimer ??= setTimeout(() => this.flush(), MAX_HOLD_MS);
    }
  }

  private flushIfIdle(): void {
    this.flushQueued = false;
    if (this.running === 0) this.flush();
    else this.holdTimer ??= setTimeout(() => this.flush(), MAX_HOLD_MS);
  }

  private flush(): void {
    this.flushQueued = false;
    if (this.holdTimer !== null) clearTimeout(this.holdTimer);
    this.holdTimer = null;
    if (this.batch.length === 0) return;
    const outcomes = this.batch;
    this.batch = [];
    this.send(outcomes);
  }
}
