import type { HistoryBucketDto } from '@mirrorwatch/api-types';
import type { FailureClass, PhaseTimings, ProbeKind } from '@mirrorwatch/domain';
import type { RollupBucket } from '../../services/persistence/rollup-buckets.js';
import { percentile } from '../../services/persistence/rollup-buckets.js';
import { bucketIndex, type HistoryGrid } from './history-grid.js';
import { weightedPercentile } from './weighted-percentile.js';

/** What a history bucket needs from a raw probe. */
export interface HistoryProbe {
  startedAt: Date;
  kind: ProbeKind;
  ok: boolean;
  timings: PhaseTimings;
  blob: { throughputBytesPerSec: number | null } | null;
}

export interface FailureMark {
  startedAt: Date;
  failureClass: FailureClass;
}

export interface HistorySources {
  /** Raw probes inside the window (for rollup windows: only the hours not rolled up yet). */
  probes: readonly HistoryProbe[];
  /** Hourly rollups covering the rest of the window. */
  rollups: readonly RollupBucket[];
  /** Every failure in the window; rollups carry no failure classes, so they always come from here. */
  failures: readonly FailureMark[];
}

interface Accumulator {
  probes: number;
  successes: number;
  raw: HistoryProbe[];
  rollups: RollupBucket[];
  failures: Partial<Record<FailureClass, number>>;
}

const round1 = (value: number | null): number | null => (value === null ? null : Math.round(value * 10) / 10);

/** Median of one phase over successful raw probes; null when the phase never ran (e.g. no TLS on http). */
function phaseP50(probes: readonly HistoryProbe[], phase: keyof PhaseTimings): number | null {
  return round1(percentile(probes.flatMap((probe) => (probe.timings[phase] === null ? [] : [probe.timings[phase]])), 50));
}

/**
 * Contiguous buckets, oldest first (empty ones included), from raw probes
 * and/or hourly rollups. Timings only count successful probes: a timeout's
 * duration is not a latency. Phase medians other than the manifest's exist
 * only where raw probes do; rollups keep the manifest p50/p95 and throughput.
 */
export function buildHistoryBuckets(grid: HistoryGrid, sources: HistorySources): HistoryBucketDto[] {
  const slots: Accumulator[] = Array.from({ length: grid.count }, () => ({ probes: 0, successes: 0, raw: [], rollups: [], failures: {} }));
  for (const probe of sources.probes) {
    const slot = slots[bucketIndex(grid, probe.startedAt)];
    if (!slot) continue;
    slot.probes += 1;
    if (probe.ok) {
      slot.successes += 1;
      slot.raw.push(probe);
    }
  }
  for (const rollup of sources.rollups) {
    const slot = slots[bucketIndex(grid, rollup.bucketStart)];
    if (!slot) continue;
    slot.probes += rollup.probes;
    slot.successes += rollup.successes;
    slot.rollups.push(rollup);
  }
  for (const failure of sources.failures) {
    const slot = slots[bucketIndex(grid, failure.startedAt)];
    if (slot) slot.failures[failure.failureClass] = (slot.failures[failure.failureClass] ?? 0) + 1;
  }
  return slots.map((slot, index): HistoryBucketDto => {
    const manifest = (pick: 'manifestP50Ms' | 'manifestP95Ms') => [
      ...slot.raw.flatMap((probe) => (probe.timings.manifestMs === null ? [] : [{ value: probe.timings.manifestMs, weight: 1 }])),
      ...slot.rollups.flatMap((rollup) => (rollup[pick] === null ? [] : [{ value: rollup[pick], weight: rollup.successes }])),
    ];
    const throughputs = [
      ...slot.raw.flatMap((probe) => (probe.kind === 'deep' && probe.blob?.throughputBytesPerSec != null ? [probe.blob.throughputBytesPerSec] : [])),
      ...slot.rollups.flatMap((rollup) => (rollup.avgThroughputBytesPerSec === null ? [] : [rollup.avgThroughputBytesPerSec])),
    ];
    const median = percentile(throughputs, 50);
    return {
      start: new Date(grid.from.getTime() + index * grid.bucketMs).toISOString(),
      probes: slot.probes,
      successes: slot.successes,
      dnsP50Ms: phaseP50(slot.raw, 'dnsMs'),
      connectP50Ms: phaseP50(slot.raw, 'connectMs'),
      tlsP50Ms: phaseP50(slot.raw, 'tlsMs'),
      firstByteP50Ms: phaseP50(slot.raw, 'pingTtfbMs'),
      tokenP50Ms: phaseP50(slot.raw, 'tokenMs'),
      manifestP50Ms: round1(weightedPercentile(manifest('manifestP50Ms'), 50)),
      manifestP95Ms: round1(weightedPercentile(manifest('manifestP95Ms'), 95)),
      throughputBytesPerSec: median === null ? null : Math.round(median),
      failures: slot.failures,
    };
  });
}
