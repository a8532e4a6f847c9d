import type { ProbeKind } from '@mirrorwatch/domain';

export interface LaneHealth {
  kind: ProbeKind;
  intervalSeconds: number;
  running: boolean;
  cyclesCompleted: number;
  cyclesSkippedForOverlap: number;
  lastCycleStartedAt: Date | null;
  lastCycleFinishedAt: Date | null;
  lastCycleDurationMs: number | null;
  /** How late the last cycle started relative to its schedule. */
  lastCycleLagMs: number | null;
}

export type LaneCycle = (options: { signal: AbortSignal; budgetMs: number }) => Promise<void>;

/**
 * One periodic probe cycle (light or deep). A tick that finds the previous
 * cycle still running is counted and skipped: two cycles of the same kind never
 * overlap, which `@nestjs/schedule` does not guarantee by itself.
 */
export class ProbeLane {
  private current: Promise<void> | null = null;
  private nextDueAt = 0;
  private readonly health: LaneHealth;

  constructor(
    kind: ProbeKind,
    private readonly intervalMs: number,
    private readonly cycle: LaneCycle,
    private readonly signal: AbortSignal,
    private readonly onError: (error: unknown) => void,
    private readonly onOverlap: () => void,
  ) {
    this.health = {
      kind,
      intervalSeconds: intervalMs / 1000,
      running: false,
      cyclesCompleted: 0,
      cyclesSkippedForOverlap: 0,
      lastCycleStartedAt: null,
      lastCycleFinishedAt: null,
      lastCycleDurationMs: null,
      lastCycleLagMs: null,
    };
  }

  /** Called by the interval timer. */
  tick(now: number = Date.now()): void {
    const dueAt = this.nextDueAt || now;
    this.nextDueAt = Math.max(dueAt, now) + this.intervalMs;
    if (this.current) {
      this.health.cyclesSkippedForOverlap += 1;
      this.onOverlap();
      return;
    }
    void this.start(dueAt, now);
  }

  /** Runs a cycle now, or joins the one in flight. */
  runNow(): Promise<void> {
    return this.current ?? this.start(Date.now(), Date.now());
  }

  /** Resolves when the cycle in flight (if any) has finished. */
  async settle(): Promise<void> {
    await this.current;
  }

  snapshot(): LaneHealth {
    return { ...this.health };
  }

  private start(dueAt: number, now: number): Promise<void> {
    const startedAt = new Date(now);
    this.health.running = true;
    this.health.lastCycleStartedAt = startedAt;
    this.health.lastCycleLagMs = Math.max(0, now - dueAt);
    const run = this.cycle({ signal: this.signal, budgetMs: this.intervalMs })
      .catch(this.onError)
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
