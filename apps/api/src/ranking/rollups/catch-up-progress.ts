import { Injectable } from '@nestjs/common';

/** How far back reads go into raw probes while the rollups are being backfilled. */
export const RAW_READ_SPAN_WHILE_CATCHING_UP_MS = 3 * 3_600_000;

/** What readiness and the dashboard say about the product's own data work. */
export interface CatchUpSnapshot {
  /** True while a rollup pass covers more than the current day (a backfill after downtime or an upgrade). */
  catchingUp: boolean;
  /** Mirror-days rolled up so far in the running pass, and how many it has in all. */
  done: number;
  total: number;
  /** ISO-8601 day the running pass started at, or null when idle. */
  fromDay: string | null;
}

/**
 * Progress of the running rollup pass, kept in memory: the job advances it
 * slice by slice, readiness reads it. A pass that only redoes today is
 * routine, not catching up.
 */
@Injectable()
export class CatchUpProgress {
  private state: CatchUpSnapshot = { catchingUp: false, done: 0, total: 0, fromDay: null };

  begin(fromDay: Date, days: number, slices: number): void {
    this.state = { catchingUp: days > 1, done: 0, total: slices, fromDay: fromDay.toISOString().slice(0, 10) };
  }

  advance(): void {
    this.state = { ...this.state, done: this.state.done + 1 };
  }

  finish(): void {
    this.state = { catchingUp: false, done: 0, total: 0, fromDay: null };
  }

  /**
   * Earliest raw probe a read may cover while catching up, or null when
   * rollups are current. Reads combine rollups with raw probes for the hours
   * not rolled up yet; before the backfill is done that could be a month of
   * raw rows per request, so those reads stop at the last few hours and the
   * older cells fill in as the backfill writes them.
   */
  rawReadFloor(now: Date): Date | null {
    return this.state.catchingUp ? new Date(now.getTime() - RAW_READ_SPAN_WHILE_CATCHING_UP_MS) : null;
  }

  snapshot(): CatchUpSnapshot {
    return this.state;
  }
}
