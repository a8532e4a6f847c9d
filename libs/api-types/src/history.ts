import type { FailureClass } from '@mirrorwatch/domain';

/**
 * `GET /api/mirrors/:id/history?window=1h|24h|7d|30d`: one mirror's probes
 * grouped into time buckets for the detail page charts.
 */
export const HISTORY_WINDOWS = ['1h', '24h', '7d', '30d'] as const;
export type HistoryWindow = (typeof HISTORY_WINDOWS)[number];

export function isHistoryWindow(value: unknown): value is HistoryWindow {
  return typeof value === 'string' && (HISTORY_WINDOWS as readonly string[]).includes(value);
}

/**
 * One bucket. Timings are medians over the bucket's successful probes (null
 * when none succeeded or the phase did not run, e.g. no TLS on http), so a
 * chart line has a gap rather than a misleading zero.
 */
export interface HistoryBucketDto {
  /** ISO-8601 start of the bucket (inclusive); the bucket lasts `bucketSeconds`. */
  start: string;
  probes: number;
  successes: number;
  dnsP50Ms: number | null;
  connectP50Ms: number | null;
  tlsP50Ms: number | null;
  /** `GET /v2/` time to first byte. */
  firstByteP50Ms: number | null;
  tokenP50Ms: number | null;
  manifestP50Ms: number | null;
  manifestP95Ms: number | null;
  /** Median blob throughput of the deep probes in the bucket, bytes per second. */
  throughputBytesPerSec: number | null;
  /** How many probes failed with each class; absent classes did not occur. */
  failures: Partial<Record<FailureClass, number>>;
}

export interface MirrorHistoryDto {
  mirrorId: string;
  /** Whose probes the buckets count: 'local' (this server) or a remote vantage's id. */
  vantage: string;
  window: HistoryWindow;
  /** Width of every bucket, seconds (suggested: 1h=60, 24h=900, 7d=3600, 30d=21600). */
  bucketSeconds: number;
  /** ISO-8601 bounds of the window. */
  from: string;
  to: string;
  /** Oldest first, contiguous: empty buckets are present with `probes: 0`. */
  buckets: HistoryBucketDto[];
}
