/** Pure bucketing and statistics for probe rollups (no database here). */

export type RollupGranularity = 'hour' | 'day';
export const ROLLUP_GRANULARITIES: readonly RollupGranularity[] = ['hour', 'day'];

const BUCKET_MS: Record<RollupGranularity, number> = { hour: 3_600_000, day: 86_400_000 };

/** Start of the UTC bucket containing `at` (days start at 00:00 UTC). */
export function bucketStart(granularity: RollupGranularity, at: Date): Date {
  const size = BUCKET_MS[granularity];
  return new Date(Math.floor(at.getTime() / size) * size);
}

export function nextBucketStart(granularity: RollupGranularity, start: Date): Date {
  return new Date(start.getTime() + BUCKET_MS[granularity]);
}

/**
 * Nearest-rank percentile (the smallest value with at least p% of values at
 * or below it): always an observed latency, never an interpolated one.
 * Null for no values.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

export interface RollupProbe {
  mirrorId: string;
  vantageId: string;
  startedAt: Date;
  ok: boolean;
  manifestMs: number | null;
  throughputBytesPerSec: number | null;
}

export interface RollupBucket {
  mirrorId: string;
  vantageId: string;
  granularity: RollupGranularity;
  bucketStart: Date;
  probes: number;
  successes: number;
  /** Over successful probes only: a timeout's duration is not a latency. */
  manifestP50Ms: number | null;
  manifestP95Ms: number | null;
  /** Mean over successful probes that measured throughput (deep probes). */
  avgThroughputBytesPerSec: number | null;
}

/** Groups probes into (mirror, vantage, bucket) aggregates. */
export function aggregateProbes(granularity: RollupGranularity, probes: readonly RollupProbe[]): RollupBucket[] {
  const groups = new Map<string, { key: Omit<RollupBucket, 'probes' | 'successes' | 'manifestP50Ms' | 'manifestP95Ms' | 'avgThroughputBytesPerSec'>; probes: RollupProbe[] }>();
  for (const probe of probes) {
    const start = bucketStart(granularity, probe.startedAt);
    const id = `${probe.mirrorId}\u0000${probe.vantageId}\u0000${start.getTime()}`;
    const group = groups.get(id) ?? { key: { mirrorId: probe.mirrorId, vantageId: probe.vantageId, granularity, bucketStart: start }, probes: [] };
    group.probes.push(probe);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ key, probes: members }) => {
    const successful = members.filter((probe) => probe.ok);
    const latencies = successful.flatMap((probe) => (probe.manifestMs === null ? [] : [probe.manifestMs]));
    const throughputs = successful.flatMap((probe) => (probe.throughputBytesPerSec === null ? [] : [probe.throughputBytesPerSec]));
    return {
      ...key,
      probes: members.length,
      successes: successful.length,
      manifestP50Ms: percentile(latencies, 50),
      manifestP95Ms: percentile(latencies, 95),
      avgThroughputBytesPerSec: throughputs.length === 0 ? null : throughputs.reduce((sum, value) => sum + value, 0) / throughputs.length,
    };
  });
}
