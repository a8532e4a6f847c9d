import { Injectable } from '@nestjs/common';

/**
 * The longest span a read covers in raw probes where rollups should be
 * (3 h: 18,000 rows at 100 mirrors probed once a minute).
 */
export const RAW_READ_SPAN_MS = 3 * 3_600_000;

/**
 * Where a raw read of [start, end) starts: reads combine rollups with raw
 * probes for the hours not rolled up yet, and when the rollups lag (an
 * upgrade, a restart after downtime, before the first pass has run) that gap
 * could be a month of raw rows, read on the request path or at start-up
 * before the backfill even began. Only its newest RAW_READ_SPAN_MS is read;
 * older cells fill in as the backfill writes their rollups. In normal running
 * the hourly rollup keeps the gap near an hour and this bound never applies.
 */
export function boundedRawStart(start: Date, end: Date, now: Date = new Date()): Date {
  // Counted back from now when the window ends in the future (a chart's last bucket, today's cell): no probe is newer than now.
  const floor = Math.min(end.getTime(), now.getTime()) - RAW_READ_SPAN_MS;
  return start.getTime() < floor ? new Date(floor) : start;
}

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

/** What a rollup pass reports as it goes (on the API thread, or relayed from the rollup thread). */
export interface CatchUpReporter {
  begin(fromDay: Date, days: number, slices: number): void;
  advance(): void;
  finish(): void;
}

/**
 * Progress of the running rollup pass, kept in memory: the job advances it
 * slice by slice, readiness reads it. A pass that only redoes today is
 * routine, not catching up.
 */
@Injectable()
export class CatchUpProgress implements CatchUpReporter {
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

  snapshot(): CatchUpSnapshot {
    return this.state;
  }
}
