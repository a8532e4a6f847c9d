/**
 * A timer that aborts a signal and remembers why, so an abort error can be
 * told apart from a network error and attributed to the right phase.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  /** Detaches this deadline from the ones it follows (see `follow`). */
  private readonly unfollows: (() => void)[] = [];
  expiredReason: string | null = null;

  constructor(ms: number, reason: string) {
    this.arm(ms, reason);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the countdown with a new budget and reason (e.g. headers done, now the body). */
  arm(ms: number, reason: string): void {
    this.stopTimer();
    if (this.controller.signal.aborted) return;
    this.timer = setTimeout(() => this.expire(reason), Math.max(0, ms));
  }

  expire(reason: string): void {
    if (this.controller.signal.aborted) return;
    this.expiredReason = reason;
    this.controller.abort(new DeadlineExpired(reason));
  }

  /**
   * Aborts this deadline's signal too when `other`'s fires, leaving the
   * reason on `other` (classifyError looks for the deadline that expired):
   * one request's signal then covers every deadline over it. AbortSignal.any
   * did the same with a new signal per request, two WeakRefs per source
   * and a finalization registration (on Node 20), about 2 % of the probe
   * engine thread's time (issue 10). Detached by `clear()`.
   */
  follow(other: Deadline): void {
    const forward = () => this.controller.abort(other.signal.reason);
    if (other.signal.aborted) {
      forward();
      return;
    }
    other.signal.addEventListener('abort', forward, { once: true });
    this.unfollows.push(() => other.signal.removeEventListener('abort', forward));
  }

  /** Stops the countdown and detaches from the deadlines followed: the exchange it covered is over. */
  clear(): void {
    this.stopTimer();
    for (const unfollow of this.unfollows.splice(0)) unfollow();
  }

  private stopTimer(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
  }
}

export class DeadlineExpired extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'DeadlineExpired';
  }
}
