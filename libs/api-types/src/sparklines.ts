/**
 * `GET /api/sparklines`: the last 24 hours of every public mirror in 24
 * hourly buckets, for the ranking table's sparkline column. One request for
 * the whole table, instead of one `/api/mirrors/:id/history` per row.
 * Private mirrors are absent (their ids are not public either).
 */
export const SPARKLINE_BUCKETS = 24;
export const SPARKLINE_BUCKET_SECONDS = 3_600;

/** One hour of a sparkline, as drawn (expandSparkline unpacks the columnar wire form into these). */
export interface SparklineBucketDto {
  /** ISO-8601 start of the hour (inclusive); the last bucket holds the present. */
  start: string;
  /** Successful probes / probes, 0..1; null when no probe ran that hour. */
  successRate: number | null;
  /** Median manifest time of the hour's successful probes, ms; null when none succeeded. */
  manifestP50Ms: number | null;
}

/**
 * One mirror's sparkline on the wire: columnar, exactly SPARKLINE_BUCKETS
 * entries per array, oldest first, so 100 mirrors are tens of kB rather than
 * 200 kB (the ranking page also embeds it for its first render).
 */
export interface MirrorSparklineDto {
  /** ISO-8601 start of the first hour; hour i starts i hours later, the last one holds the present. */
  from: string;
  /** Successful probes / probes per hour, 0..1 rounded to 4 places; null when no probe ran that hour. */
  successRate: (number | null)[];
  /** Median manifest time of the hour's successful probes, ms rounded to 0.1; null when none succeeded. */
  manifestP50Ms: (number | null)[];
}

/** The per-hour buckets of a wire sparkline. */
export function expandSparkline(sparkline: MirrorSparklineDto): SparklineBucketDto[] {
  const from = Date.parse(sparkline.from);
  return sparkline.successRate.map((successRate, index) => ({
    start: new Date(from + index * SPARKLINE_BUCKET_SECONDS * 1000).toISOString(),
    successRate,
    manifestP50Ms: sparkline.manifestP50Ms[index] ?? null,
  }));
}

/** Keyed by mirror id. */
export type SparklinesDto = Record<string, MirrorSparklineDto>;
