import { SPARKLINE_BUCKET_SECONDS, SPARKLINE_BUCKETS, type HistoryBucketDto, type SparklineBucketDto } from '@mirrorwatch/api-types';
import type { HistoryGrid } from '../history/history-grid.js';

/**
 * 24 UTC hours ending with the one that holds `now`. Aligned to whole hours
 * so completed hours map one-to-one onto hourly rollups, and every request
 * within the same hour gets the same bucket starts.
 */
export function sparklineGrid(now: Date): HistoryGrid {
  const bucketMs = SPARKLINE_BUCKET_SECONDS * 1000;
  const end = Math.floor(now.getTime() / bucketMs) * bucketMs + bucketMs;
  return { from: new Date(end - SPARKLINE_BUCKETS * bucketMs), to: new Date(end), bucketMs, count: SPARKLINE_BUCKETS };
}

/** Keeps what a sparkline draws: the success ratio (null for an hour without probes) and the manifest p50. */
export function toSparklineBuckets(buckets: readonly HistoryBucketDto[]): SparklineBucketDto[] {
  return buckets.map((bucket) => ({
    start: bucket.start,
    successRate: bucket.probes === 0 ? null : bucket.successes / bucket.probes,
    manifestP50Ms: bucket.manifestP50Ms,
  }));
}
