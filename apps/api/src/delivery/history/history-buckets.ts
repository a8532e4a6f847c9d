import type { HistoryBucketDto } from '@mirrorwatch/api-types';
import type { FailureClass, PhaseTimings, ProbeKind } from '@mirrorwatch/domain';
import { type RollupBucket, percentile, weightedPercentile } from '@mirrorwatch/scoring';
import { bucketIndex, type HistoryGrid } from './history-grid.js';

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
  /** Failures among `probes` (the raw part only): rollups carry their own failure counts. */
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

/** A phase as a raw probe timing and as the rollup column holding its hourly median. */
const PHASES = {
  dnsP50Ms: { timing: 'dnsMs', rollup: 'dnsP50Ms' },
  connectP50Ms: { timing: 'connectMs', rollup: 'connectP50Ms' },
  tlsP50Ms: { timing: 'tlsMs', rollup: 'tlsP50Ms' },
  firstByteP50Ms: { timing: 'pingTtfbMs', rollup: 'pingTtfbP50Ms' },
  tokenP50Ms: { timing: 'tokenMs', rollup: 'tokenP50Ms' },
  manifestP50Ms: { timing: 'manifestMs', rollup: 'manifestP50Ms' },
  manifestP95Ms: { timing: 'manifestMs', rollup: 'manifestP95Ms' },
} as const satisfies Record<string, { timing: keyof PhaseTimings; rollup: keyof RollupBucket }>;

/**
 * Percentile `p` of one phase over the successful raw probes (weight 1 each)
 * and the rollups' stored value (weighted by their successes, see
 * weightedPercentile). Null when the phase never ran (e.g. no TLS on http).
 */
function phasePercentile(slot: Accumulator, field: keyof typeof PHASES, p: number): number | null {
  const { timing, rollup: column } = PHASES[field];
  return round1(
    weightedPercentile(
      [
        ...slot.raw.flatMap((probe) => (probe.timings[timing] === null ? [] : [{ value: probe.timings[timing], weight: 1 }])),
        ...slot.rollups.flatMap((rollup) => (rollup[column] === null ? [] : [{ value: rollup[column], weight: rollup.successes }])),
      ],
      p,
    ),
  );
}

function addFailures(into: Partial<Record<FailureClass, number>>, failureClass: FailureClass, count: number): void {
  into[failureClass] = (into[failureClass] ?? 0) + count;
}

/**
 * Contiguous buckets, oldest first (empty ones included), from raw probes
 * and/or hourly rollups. Timings only count successful probes: a timeout's
 * duration is not a latency. A 1-hour bucket holding one hourly rollup shows
 * that hour's exact medians; wider buckets merge rollups by weightedPercentile,
 * an estimate once the raw probes are gone. Throughput is the median of the
 * raw deep probes' values and the rollups' hourly medians (an hour rarely
 * holds more than one deep probe, so each rollup counts once).
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
    for (const [failureClass, count] of Object.entries(rollup.failures) as [FailureClass, number][])
      addFailures(slot.failures, failureClass, count);
  }
  for (const failure of sources.failures) {
    const slot = slots[bucketIndex(grid, failure.startedAt)];
    if (slot) addFailures(slot.failures, failure.failureClass, 1);
  }
  return slots.map((slot, index): HistoryBucketDto => {
    const throughputs = [
      ...slot.raw.flatMap((probe) =>
        probe.kind === 'deep' && probe.blob?.throughputBytesPerSec != null ? [probe.blob.throughputBytesPerSec] : [],
      ),
      ...slot.rollups.flatMap((rollup) => (rollup.throughputP50BytesPerSec === null ? [] : [rollup.throughputP50BytesPerSec])),
    ];
    const median = percentile(throughputs, 50);
    return {
      start: new Date(grid.from.getTime() + index * grid.bucketMs).toISOString(),
      probes: slot.probes,
      successes: slot.successes,
      dnsP50Ms: phasePercentile(slot, 'dnsP50Ms', 50),
      connectP50Ms: phasePercentile(slot, 'connectP50Ms', 50),
      tlsP50Ms: phasePercentile(slot, 'tlsP50Ms', 50),
      firstByteP50Ms: phasePercentile(slot, 'firstByteP50Ms', 50),
      tokenP50Ms: phasePercentile(slot, 'tokenP50Ms', 50),
      manifestP50Ms: phasePercentile(slot, 'manifestP50Ms', 50),
      manifestP95Ms: phasePercentile(slot, 'manifestP95Ms', 95),
      throughputBytesPerSec: median === null ? null : Math.round(median),
      failures: slot.failures,
    };
  });
}
