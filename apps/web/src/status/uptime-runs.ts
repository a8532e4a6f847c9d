import type { DailyCellsDto } from '@mirrorwatch/api-types';
import { gradeRatio, type CellGrade } from '../format/uptime-grade';

const DAY_MS = 86_400_000;

/** Consecutive days of one grade, drawn as one cell spanning them. */
export interface UptimeRun {
  /** `YYYY-MM-DD` of the run's first and last day. */
  first: string;
  last: string;
  days: number;
  grade: CellGrade;
  /** Mean daily uptime (0..1) over the run's days with probes; null when none had any. */
  uptime: number | null;
  incidents: number;
}

const dayAfter = (from: string, offset: number) => new Date(Date.parse(`${from}T00:00:00Z`) + offset * DAY_MS).toISOString().slice(0, 10);

/**
 * Merges a mirror's 90 daily cells into runs of equal grade. A status page of
 * 100 mirrors as 9,000 separate cells is megabytes of HTML (each cell with its
 * tooltip, twice over with the React payload); a healthy or dead mirror is a
 * run or two, so the page stays small while every day keeps its colour.
 */
export function uptimeRuns(daily: DailyCellsDto): UptimeRun[] {
  const runs: UptimeRun[] = [];
  let measured = 0;
  let permilleSum = 0;
  daily.uptimePermille.forEach((permille, index) => {
    const grade = gradeRatio(permille === null ? null : permille / 1000);
    const date = dayAfter(daily.from, index);
    const incidents = daily.incidents[index] ?? 0;
    const current = runs[runs.length - 1];
    if (current && current.grade === grade) {
      current.last = date;
      current.days += 1;
      current.incidents += incidents;
    } else {
      runs.push({ first: date, last: date, days: 1, grade, uptime: null, incidents });
      measured = 0;
      permilleSum = 0;
    }
    const run = runs[runs.length - 1];
    if (permille !== null && run) {
      measured += 1;
      permilleSum += permille;
      run.uptime = permilleSum / measured / 1000;
    }
  });
  return runs;
}
