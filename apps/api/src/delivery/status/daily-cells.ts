import type { DailyCellsDto } from '@mirrorwatch/api-types';

const DAY_MS = 86_400_000;

export interface DayCount {
  /** 00:00 UTC of the day. */
  day: Date;
  probes: number;
  successes: number;
}

/** One UTC day of one mirror, before it is packed into the columnar DailyCellsDto. */
export interface DailyCell {
  /** `YYYY-MM-DD`, UTC. */
  date: string;
  probes: number;
  successes: number;
  /** successes / probes, 0..1; null when no probe ran that day. */
  uptime: number | null;
  incidents: number;
}

export interface IncidentSpan {
  startedAt: Date;
  endedAt: Date | null;
}

/** 00:00 UTC of the day `days` before the one containing `now`. */
export function utcDayStart(now: Date, daysBack = 0): Date {
  return new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS - daysBack * DAY_MS);
}

/**
 * Exactly `days` cells, oldest first, ending with today (UTC), as status pages
 * draw their 90 bars. Counts for the same day from several sources (a daily
 * rollup and raw probes never overlap, but a caller may pass both) add up.
 * A day without probes has `uptime: null`, shown as "no data", not as 0 %.
 */
export function dailyCells(now: Date, days: number, counts: readonly DayCount[], incidents: readonly IncidentSpan[]): DailyCell[] {
  const first = utcDayStart(now, days - 1).getTime();
  const cells = Array.from({ length: days }, (_, index) => ({ start: first + index * DAY_MS, probes: 0, successes: 0, incidents: 0 }));
  for (const count of counts) {
    const cell = cells[Math.floor((count.day.getTime() - first) / DAY_MS)];
    if (!cell || count.day.getTime() < first) continue;
    cell.probes += count.probes;
    cell.successes += count.successes;
  }
  for (const incident of incidents) {
    const start = incident.startedAt.getTime();
    const end = incident.endedAt?.getTime() ?? now.getTime();
    for (const cell of cells) if (start < cell.start + DAY_MS && end >= cell.start) cell.incidents += 1;
  }
  return cells.map((cell) => ({
    date: new Date(cell.start).toISOString().slice(0, 10),
    probes: cell.probes,
    successes: cell.successes,
    uptime: cell.probes === 0 ? null : cell.successes / cell.probes,
    incidents: cell.incidents,
  }));
}

/** Uptime over all cells, weighted by probes; null without any. */
export function overallUptime(cells: readonly DailyCell[]): number | null {
  const probes = cells.reduce((sum, cell) => sum + cell.probes, 0);
  return probes === 0 ? null : cells.reduce((sum, cell) => sum + cell.successes, 0) / probes;
}

/** The cells as the API sends them: columnar, uptime in per-mille rounded down. */
export function packDailyCells(cells: readonly DailyCell[]): DailyCellsDto {
  return {
    from: cells[0]?.date ?? '',
    uptimePermille: cells.map((cell) => (cell.uptime === null ? null : Math.floor(cell.uptime * 1000))),
    incidents: cells.map((cell) => cell.incidents),
  };
}
