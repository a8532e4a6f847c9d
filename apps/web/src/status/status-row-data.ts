import type { MirrorStatus } from '@mirrorwatch/domain';
import type { StatusMirrorDto } from '@mirrorwatch/api-types';
import type { CellGrade } from '../format/uptime-grade';
import { uptimeRuns, type UptimeRun } from './uptime-runs';

const DAY_MS = 86_400_000;

/** One run of days of one grade: grade, days, mean uptime in basis points (truncated; null without probes), incidents. */
export type CompactRun = [grade: CellGrade, days: number, uptimeBasisPoints: number | null, incidents: number];

/**
 * What the status page hands its client-side rows: a mirror's head facts and
 * its 90 days as runs, a few dozen bytes per run. The rows' markup and every
 * cell's tooltip are built from this in the browser (and once on the server
 * for the HTML), so the page carries the data once and the markup once, not
 * the markup twice (HTML plus the server-component payload).
 */
export interface StatusRowData {
  id: string;
  name: string;
  upstream: string;
  provider: string | null;
  status: MirrorStatus;
  lastProbeAt: string | null;
  uptime: number | null;
  /** `YYYY-MM-DD` of the first day. */
  from: string;
  runs: CompactRun[];
}

/** Basis points keep formatPercent's two truncated decimals exact: floor(ratio × 10,000). */
const toBasisPoints = (ratio: number | null): number | null => (ratio === null ? null : Math.floor(ratio * 10_000 + 1e-9));

export function statusRowData(mirror: StatusMirrorDto): StatusRowData {
  return {
    id: mirror.id,
    name: mirror.name,
    upstream: mirror.upstream,
    provider: mirror.provider,
    status: mirror.status,
    lastProbeAt: mirror.lastProbeAt,
    uptime: mirror.uptime,
    from: mirror.daily.from,
    runs: uptimeRuns(mirror.daily).map((run) => [run.grade, run.days, toBasisPoints(run.uptime), run.incidents]),
  };
}

const dayAfter = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);

/** Back to runs with their dates, for drawing and tooltips. */
export function expandRuns(from: string, runs: readonly CompactRun[]): UptimeRun[] {
  let offset = 0;
  return runs.map(([grade, days, basisPoints, incidents]) => {
    const run: UptimeRun = {
      first: dayAfter(from, offset),
      last: dayAfter(from, offset + days - 1),
      days,
      grade,
      uptime: basisPoints === null ? null : basisPoints / 10_000,
      incidents,
    };
    offset += days;
    return run;
  });
}

/** Days per grade and incidents over the runs: the row's text for screen readers and readers without colour. */
export function gradeTotals(runs: readonly UptimeRun[]): Record<CellGrade, number> & { incidents: number } {
  const totals = { good: 0, warn: 0, bad: 0, none: 0, incidents: 0 };
  for (const run of runs) {
    totals[run.grade] += run.days;
    totals.incidents += run.incidents;
  }
  return totals;
}
