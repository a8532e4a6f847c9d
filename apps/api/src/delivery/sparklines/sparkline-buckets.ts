import { SPARKLINE_BUCKET_SECONDS, SPARKLINE_BUCKETS, type HistoryBucketDto, type MirrorSparklineDto } from '@mirrorwatch/api-types';
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

const roundTo = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;

/** Keeps what a sparkline draws, columnar: the success ratio (null for an hour without probes) and the manifest p50. */
export function toSparkline(buckets: readonly HistoryBucketDto[]): MirrorSparklineDto {
  return {
    from: buckets[0]?.start ?? '',
    successRate: buckets.map((bucket) => (bucket.probes === 0 ? null : roundTo(bucket.successes / bucket.probes, 4))),
    manifestP50Ms: buckets.map((bucket) => (bucket.manifestP50Ms === null ? null : roundTo(bucket.manifestP50Ms, 1))),
  };
}
