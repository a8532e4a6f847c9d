/**
 * A timer that aborts a signal and remembers why, so an abort error can be
 * told apart from a network error and attributed to the right phase.
 */
export class Deadline {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  expiredReason: string | null = null;

  constructor(ms: number, reason: string) {
    this.arm(ms, reason);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Restarts the countdown with a new budget and reason (e.g. headers done, now the body). */
  arm(ms: number, reason: string): void {
    this.clear();
    if (this.controller.signal.aborted) return;
    this.timer = setTimeout(() => this.expire(reason), Math.max(0, ms));
  }

  expire(reason: string): void {
    if (this.controller.signal.aborted) return;
    this.expiredReason = reason;
    this.controller.abort(new DeadlineExpired(reason));
  }

  clear(): void {
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
