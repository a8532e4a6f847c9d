/** Pure bucketing and statistics for probe rollups (no database here). */

import { isFailureClass, type FailureClass } from '@mirrorwatch/domain';
import { percentile } from './percentile.js';
import type { FailureCounts } from './rollup-failure-counts.js';

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
 * Raw probes before this are deleted. It is a UTC day start, so the oldest
 * raw day kept is whole: re-rolling that day's bucket later can never
 * overwrite a complete daily rollup with a partial one, and a day before it
 * is never rolled up again (its raw probes may be partly gone).
 */
export function retentionCutoff(now: Date, retentionDays: number): Date {
  return bucketStart('day', new Date(now.getTime() - retentionDays * BUCKET_MS.day));
}

/** What a rollup needs from a raw probe (the Probe columns of the same names). */
export interface RollupProbe {
  mirrorId: string;
  vantageId: string;
  startedAt: Date;
  ok: boolean;
  /** Stored class of a failed probe; null or unknown counts as 'internal', as ProbeRepository reads it. */
  failureClass: string | null;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  pingTtfbMs: number | null;
  tokenMs: number | null;
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
  /**
   * Medians (and the manifest p95) over successful probes only: a timeout's
   * duration is not a latency. Null when no successful probe ran the phase
   * (e.g. no TLS on http, no token where the mirror asks for none).
   */
  manifestP50Ms: number | null;
  manifestP95Ms: number | null;
  dnsP50Ms: number | null;
  connectP50Ms: number | null;
  tlsP50Ms: number | null;
  /** `GET /v2/` time to first byte. */
  pingTtfbP50Ms: number | null;
  tokenP50Ms: number | null;
  /** Median over successful probes that measured throughput (deep probes). */
  throughputP50BytesPerSec: number | null;
  /** Failed probes per class; absent classes did not occur. */
  failures: FailureCounts;
}

type BucketKey = Pick<RollupBucket, 'mirrorId' | 'vantageId' | 'granularity' | 'bucketStart'>;
type MeasuredField = 'dnsMs' | 'connectMs' | 'tlsMs' | 'pingTtfbMs' | 'tokenMs' | 'manifestMs' | 'throughputBytesPerSec';

function measured(probes: readonly RollupProbe[], field: MeasuredField): number[] {
  return probes.flatMap((probe) => (probe[field] === null ? [] : [probe[field]]));
}

function countFailures(probes: readonly RollupProbe[]): FailureCounts {
  const counts: FailureCounts = {};
  for (const probe of probes) {
    if (probe.ok) continue;
    const failureClass: FailureClass = isFailureClass(probe.failureClass) ? probe.failureClass : 'internal';
    counts[failureClass] = (counts[failureClass] ?? 0) + 1;
  }
  return counts;
}

/**
 * Groups raw probes into (mirror, vantage, bucket) aggregates. Always from raw
 * probes, for days too: a median of hourly medians is not the day's median.
 */
export function aggregateProbes(granularity: RollupGranularity, probes: readonly RollupProbe[]): RollupBucket[] {
  const groups = new Map<string, { key: BucketKey; probes: RollupProbe[] }>();
  for (const probe of probes) {
    const start = bucketStart(granularity, probe.startedAt);
    const id = `${probe.mirrorId}\u0000${probe.vantageId}\u0000${start.getTime()}`;
    const group = groups.get(id) ?? {
      key: { mirrorId: probe.mirrorId, vantageId: probe.vantageId, granularity, bucketStart: start },
      probes: [],
    };
    group.probes.push(probe);
    groups.set(id, group);
  }
  return [...groups.values()].map(({ key, probes: members }): RollupBucket => {
    const successful = members.filter((probe) => probe.ok);
    const latencies = measured(successful, 'manifestMs');
    return {
      ...key,
      probes: members.length,
      successes: successful.length,
      manifestP50Ms: percentile(latencies, 50),
      manifestP95Ms: percentile(latencies, 95),
      dnsP50Ms: percentile(measured(successful, 'dnsMs'), 50),
      connectP50Ms: percentile(measured(successful, 'connectMs'), 50),
      tlsP50Ms: percentile(measured(successful, 'tlsMs'), 50),
      pingTtfbP50Ms: percentile(measured(successful, 'pingTtfbMs'), 50),
      tokenP50Ms: percentile(measured(successful, 'tokenMs'), 50),
      throughputP50BytesPerSec: percentile(measured(successful, 'throughputBytesPerSec'), 50),
      failures: countFailures(members),
    };
  });
}
