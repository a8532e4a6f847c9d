/**
 * `GET /api/sparklines`: the last 24 hours of every public mirror in 24
 * hourly buckets, for the ranking table's sparkline column. One request for
 * the whole table, instead of one `/api/mirrors/:id/history` per row.
 * Private mirrors are absent (their ids are not public either).
 */
export const SPARKLINE_BUCKETS = 24;
export const SPARKLINE_BUCKET_SECONDS = 3_600;

export interface SparklineBucketDto {
  /** ISO-8601 start of the hour (inclusive); the last bucket holds the present. */
  start: string;
  /** Successful probes / probes, 0..1; null when no probe ran that hour. */
  successRate: number | null;
  /** Median manifest time of the hour's successful probes, ms; null when none succeeded. */
  manifestP50Ms: number | null;
}

export interface MirrorSparklineDto {
  /** Exactly SPARKLINE_BUCKETS buckets, oldest first, contiguous. */
  buckets: SparklineBucketDto[];
}

/** Keyed by mirror id. */
export type SparklinesDto = Record<string, MirrorSparklineDto>;
