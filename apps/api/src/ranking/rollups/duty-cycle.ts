import { sleepUnlessAborted, type Sleep } from '#infrastructure/timing/sleep-unless-aborted.js';
import { yieldToEventLoop } from './yield-to-event-loop.js';

/**
 * Paces long background work (the rollup backfill, retention) so that it is
 * busy at most `busyPercent` of the wall time: after each slice it rests in
 * proportion to the slice's wall time (at 50 %, as long as the slice took).
 *
 * Why wall time: a slice's cost is not only this thread's CPU. On PostgreSQL
 * the database backend that serves the pass's queries runs at normal priority
 * whatever this thread's nice value is, and on a small machine it takes a
 * core from the API thread while it works (issue 16: liveness waited for a
 * core during the backfill). The wall time covers both, and it grows when the
 * machine is busy (a low-priority thread waits longer for a core), so the
 * rests grow with it. At 100 % there is no rest, only a turn of the event loop.
 */
export class DutyCycle {
  constructor(
    private readonly busyPercent: number,
    private readonly sleep: Sleep = sleepUnlessAborted,
    private readonly now: () => number = () => performance.now(),
  ) {
    if (!Number.isFinite(busyPercent) || busyPercent <= 0 || busyPercent > 100) {
      throw new RangeError(`busyPercent must be above 0 and at most 100, got ${busyPercent}`);
    }
  }

  /** How long to rest after a slice that took `busyMs` of wall time. */
  restAfter(busyMs: number): number {
    return (Math.max(0, busyMs) * (100 - this.busyPercent)) / this.busyPercent;
  }

  /** Runs one slice, then rests (cut short when `signal` aborts). */
  async slice<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const started = this.now();
    const result = await work();
    const restMs = this.restAfter(this.now() - started);
    // A rest of 0 still lets the thread's messages (an abort) in between two slices.
    if (restMs > 0 && !signal?.aborted) await this.sleep(restMs, signal);
    else await yieldToEventLoop();
    return result;
  }
}
