/** The most a tick is raised ahead of the time it is due. */
const MAX_LEAD_MS = 500;
/** The lead as a share of the interval, so short intervals keep most of their time for probing. */
const LEAD_SHARE = 0.05;

/**
 * How far ahead of a cycle's due time the API thread prepares it (reads the
 * mirrors, hands the first probes to the engine thread, which starts each at
 * its own time). The API thread's timers run late by whatever else its event
 * loop is doing (requests, Prisma, a ranking rebuild): with this lead, that
 * lateness delays the preparation, not the probes.
 */
export function scheduleLeadMs(intervalMs: number): number {
  return Math.min(MAX_LEAD_MS, Math.floor(intervalMs * LEAD_SHARE));
}

/**
 * Ticks on a fixed grid, `anchorAt + k × interval`, each tick raised
 * `leadMs` before its due time. A re-armed timeout per tick rather than
 * setInterval: Node re-arms an interval from the moment its callback ran, so
 * every late tick (a busy event loop, the timer's own millisecond rounding)
 * shifts all later ones, and over an hour the shifts add up (issue 10). Here
 * a late tick is late alone. A loop blocked past whole grid points (or a wall
 * clock stepped ahead) raises only the latest of them and reports how many it
 * missed. A wall clock stepped back by more than an interval starts a new grid
 * at once: keeping the old one would stop probing for as long as the step.
 */
export class ScheduleClock {
  private timer: NodeJS.Timeout | null = null;
  private anchorAt = 0;
  private nextIndex = 1;

  constructor(
    private readonly intervalMs: number,
    private readonly leadMs: number,
    private readonly onTick: (dueAt: number) => void,
    private readonly onMissed: (count: number) => void,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Ticks at `anchorAt + interval`, `anchorAt + 2 × interval`, … (the caller runs the cycle due at `anchorAt` itself). */
  start(anchorAt: number): void {
    this.stop();
    this.anchorAt = anchorAt;
    this.nextIndex = 1;
    this.arm();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private dueAt(index: number): number {
    return this.anchorAt + index * this.intervalMs;
  }

  private arm(): void {
    const delay = Math.max(0, this.dueAt(this.nextIndex) - this.leadMs - this.clock());
    this.timer = setTimeout(() => this.fire(), delay);
  }

  private fire(): void {
    const now = this.clock();
    // The timer came by the monotonic clock; a wall clock that reads more than an interval before the tick's
    // time was stepped back. Re-anchor so that the tick due now is this one.
    if (this.dueAt(this.nextIndex) - this.leadMs - now > this.intervalMs) {
      this.anchorAt = now + this.leadMs - this.nextIndex * this.intervalMs;
    }
    // The latest grid point whose tick time has come; the ones before it were missed.
    const latest = Math.max(this.nextIndex, Math.floor((now + this.leadMs - this.anchorAt) / this.intervalMs));
    if (latest > this.nextIndex) this.onMissed(latest - this.nextIndex);
    this.nextIndex = latest + 1;
    this.arm();
    this.onTick(this.dueAt(latest));
  }
}
