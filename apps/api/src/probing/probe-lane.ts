import type { ProbeKind } from '@mirrorwatch/domain';

export interface LaneHealth {
  kind: ProbeKind;
  intervalSeconds: number;
  running: boolean;
  cyclesCompleted: number;
  /** Ticks skipped: the previous cycle ran too long past them, or the schedule's clock could not raise them in time. */
  cyclesSkippedForOverlap: number;
  /** Ticks that came while the previous cycle was still finalising and started when it had. */
  cyclesStartedLate: number;
  /** Probes still running at their cycle's deadline; each stored its outcome when it ended. */
  probesCarried: number;
  /** Times a mirror was left out of a cycle because its previous probe was still running at the deadline. */
  probesHeldBack: number;
  /** Mirrors whose turn in a cycle had not come by its deadline. */
  probesNotStarted: number;
  lastCycleStartedAt: Date | null;
  lastCycleFinishedAt: Date | null;
  lastCycleDurationMs: number | null;
  /** How late the last cycle started relative to its schedule. */
  lastCycleLagMs: number | null;
}

/** What a cycle left to later ones (ProbeCycleService's report). */
export interface LaneCycleReport {
  carried: number;
  heldBack: number;
  notStarted: number;
}

export type LaneCycle = (options: {
  signal: AbortSignal;
  budgetMs: number;
  /** When the cycle's first probe is due (epoch ms); the lane may start preparing it earlier. */
  startAt: number;
  deadlineAt: number;
}) => Promise<LaneCycleReport | void>;

/** Time a cycle keeps before the next tick to write its outcomes and rebuild the ranking. */
const FINALISE_RESERVE_SHARE = 0.1;
const MAX_FINALISE_RESERVE_MS = 2_000;
/** A tick that found its predecessor finalising still starts if it can within this share of the interval. */
const LATE_START_SHARE = 0.25;

/**
 * One periodic probe cycle (light or deep). Each cycle gets a deadline a
 * little before the next tick: it then stops waiting for slow probes
 * (ProbeCycleService carries them), so one hanging mirror no longer costs
 * every other mirror its next cycle. Two cycles of the same lane never run
 * at once, which `@nestjs/schedule` does not guarantee by itself: a tick that
 * finds the previous cycle still finalising starts when it ends, if that is
 * soon enough; otherwise it is counted and skipped.
 */
export class ProbeLane {
  private current: Promise<void> | null = null;
  private lateDueAt: number | null = null;
  private readonly health: LaneHealth;

  constructor(
    kind: ProbeKind,
    private readonly intervalMs: number,
    private readonly cycle: LaneCycle,
    private readonly signal: AbortSignal,
    private readonly onError: (error: unknown) => void,
    private readonly onOverlap: () => void,
    private readonly clock: () => number = Date.now,
  ) {
    this.health = {
      kind,
      intervalSeconds: intervalMs / 1000,
      running: false,
      cyclesCompleted: 0,
      cyclesSkippedForOverlap: 0,
      cyclesStartedLate: 0,
      probesCarried: 0,
      probesHeldBack: 0,
      probesNotStarted: 0,
      lastCycleStartedAt: null,
      lastCycleFinishedAt: null,
      lastCycleDurationMs: null,
      lastCycleLagMs: null,
    };
  }

  /** Called by the schedule's clock for the cycle due at `dueAt`, possibly a little ahead of it. */
  tick(dueAt: number, now: number = this.clock()): void {
    if (this.current) {
      // At most one tick waits; an older waiting one has become too late anyway.
      if (this.lateDueAt !== null) this.skip();
      this.lateDueAt = dueAt;
      return;
    }
    void this.start(dueAt, now);
  }

  /** Runs a cycle now, or joins the one in flight. */
  runNow(): Promise<void> {
    if (this.current) return this.current;
    const now = this.clock();
    return this.start(now, now);
  }

  /** Resolves when the cycle in flight (if any) has finished. */
  async settle(): Promise<void> {
    while (this.current) await this.current;
  }

  snapshot(): LaneHealth {
    return { ...this.health };
  }

  /**
   * Ticks the clock could not raise in time (the event loop was blocked past
   * them, or the wall clock jumped ahead): skipped like a tick that found its
   * predecessor running, and counted with them, but the caller says why.
   */
  missed(count: number): void {
    this.health.cyclesSkippedForOverlap += count;
  }

  private skip(): void {
    this.health.cyclesSkippedForOverlap += 1;
    this.onOverlap();
  }

  private start(dueAt: number, now: number): Promise<void> {
    // Prepared ahead (the clock's lead), the cycle starts when due; a late one starts now, its probes still spread.
    const startAt = Math.max(now, dueAt);
    const startedAt = new Date(startAt);
    this.health.running = true;
    this.health.lastCycleStartedAt = startedAt;
    this.health.lastCycleLagMs = startAt - dueAt;
    const reserveMs = Math.min(MAX_FINALISE_RESERVE_MS, this.intervalMs * FINALISE_RESERVE_SHARE);
    const deadlineAt = Math.max(now, dueAt + this.intervalMs - reserveMs);
    const run = this.cycle({ signal: this.signal, budgetMs: this.intervalMs, startAt, deadlineAt })
      .then((report) => {
        if (!report) return;
        this.health.probesCarried += report.carried;
        this.health.probesHeldBack += report.heldBack;
        this.health.probesNotStarted += report.notStarted;
      })
      .catch(this.onError)
      .finally(() => {
        const finishedAt = this.clock();
        this.health.running = false;
        this.health.cyclesCompleted += 1;
        this.health.lastCycleFinishedAt = new Date(finishedAt);
        this.health.lastCycleDurationMs = finishedAt - startedAt.getTime();
        this.current = null;
        this.startLate(finishedAt);
      });
    this.current = run;
    return run;
  }

  /** The tick that came while the cycle just finished was still running. */
  private startLate(now: number): void {
    const dueAt = this.lateDueAt;
    this.lateDueAt = null;
    if (dueAt === null || this.signal.aborted) return;
    if (now - dueAt > this.intervalMs * LATE_START_SHARE) {
      this.skip();
      return;
    }
    // The clock raises a tick ahead of its due time: a predecessor that ended within that lead leaves it on time.
    if (now > dueAt) this.health.cyclesStartedLate += 1;
    void this.start(dueAt, now);
  }
}
