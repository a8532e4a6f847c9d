import type { HistoryWindow } from '@mirrorwatch/api-types';

export interface HistoryWindowSpec {
  bucketSeconds: number;
  buckets: number;
  /**
   * Short windows read raw probes (every phase timing is there); long ones read
   * hourly rollups, which stay fast and outlive raw-probe retention.
   */
  source: 'raw' | 'rollup';
}

/** The bucket widths suggested in libs/api-types history.ts: 60, 96, 168 and 120 bars per chart. */
export const HISTORY_WINDOW_SPECS: Record<HistoryWindow, HistoryWindowSpec> = {
  '1h': { bucketSeconds: 60, buckets: 60, source: 'raw' },
  '24h': { bucketSeconds: 900, buckets: 96, source: 'raw' },
  '7d': { bucketSeconds: 3_600, buckets: 168, source: 'rollup' },
  '30d': { bucketSeconds: 21_600, buckets: 120, source: 'rollup' },
};

export interface HistoryGrid {
  from: Date;
  /** Exclusive end: the end of the bucket that contains `now`. */
  to: Date;
  bucketMs: number;
  count: number;
}

/**
 * Buckets aligned to the epoch (so UTC hours and the 6-hour steps of 30d hold
 * whole hourly rollups), the last one containing `now`: a chart always ends
 * at the present, and two requests in the same bucket get the same bounds.
 */
export function historyGrid(window: HistoryWindow, now: Date): HistoryGrid {
  const { bucketSeconds, buckets } = HISTORY_WINDOW_SPECS[window];
  const bucketMs = bucketSeconds * 1000;
  const end = Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs;
  return { from: new Date(end - buckets * bucketMs), to: new Date(end), bucketMs, count: buckets };
}

/** Index of the grid bucket holding `at`, or -1 outside the window. */
export function bucketIndex(grid: HistoryGrid, at: Date): number {
  const offset = at.getTime() - grid.from.getTime();
  if (offset < 0 || at.getTime() >= grid.to.getTime()) return -1;
  return Math.floor(offset / grid.bucketMs);
}
