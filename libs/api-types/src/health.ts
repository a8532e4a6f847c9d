/** Progress of a rollup backfill, as `GET /api/health/ready` reports it. */
export interface CatchUpDto {
  /** Mirror-days rolled up so far and in all. */
  done: number;
  total: number;
  percent: number;
  /** `YYYY-MM-DD` the backfill started from. */
  fromDay: string | null;
}

/**
 * The part of `GET /api/health/ready` the dashboard reads: 'catching_up'
 * while rollups are backfilled after downtime or an upgrade (everything
 * answers; long-window history fills in as it goes).
 */
export interface ReadinessSummaryDto {
  status: 'ready' | 'catching_up';
  catchUp: CatchUpDto | null;
}
