import type { HistoryBucketDto, HistoryWindow } from '@mirrorwatch/api-types';

export interface ChartPoint {
  /** Bucket start, ms since epoch (x axis). */
  t: number;
  dns: number | null;
  connect: number | null;
  tls: number | null;
  firstByte: number | null;
  manifest: number | null;
  /** MiB/s, so the axis reads in the unit people quote for pulls. */
  throughputMiBps: number | null;
}

const MIB = 1024 * 1024;

export function toChartPoints(buckets: readonly HistoryBucketDto[]): ChartPoint[] {
  return buckets.map((bucket) => ({
    t: Date.parse(bucket.start),
    dns: bucket.dnsP50Ms,
    connect: bucket.connectP50Ms,
    tls: bucket.tlsP50Ms,
    firstByte: bucket.firstByteP50Ms,
    manifest: bucket.manifestP50Ms,
    throughputMiBps: bucket.throughputBytesPerSec === null ? null : Math.round((bucket.throughputBytesPerSec / MIB) * 100) / 100,
  }));
}

/** X-axis tick text in UTC: times of day for short windows, dates for long ones. */
export function formatTick(ms: number, window: HistoryWindow): string {
  const iso = new Date(ms).toISOString();
  if (window === '1h' || window === '24h') return iso.slice(11, 16);
  if (window === '7d') return `${iso.slice(5, 10)} ${iso.slice(11, 13)}h`;
  return iso.slice(5, 10);
}
