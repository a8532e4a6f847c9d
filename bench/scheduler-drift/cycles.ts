export interface ProbeTime {
  startMs: number;
  durationMs: number;
}

export interface Cycle {
  startMs: number;
  /** When its last probe ended. */
  endMs: number;
  probes: number;
}

/**
 * Groups light probes into cycles: within a cycle probe starts are spread
 * over at most half the interval (probe-cycle.service.ts), so a gap of more
 * than a quarter interval between consecutive starts opens a new cycle.
 */
export function cyclesOf(probes: readonly ProbeTime[], intervalMs: number): Cycle[] {
  const sorted = [...probes].sort((a, b) => a.startMs - b.startMs);
  const cycles: Cycle[] = [];
  let lastStart = Number.NEGATIVE_INFINITY;
  for (const probe of sorted) {
    const current = cycles.at(-1);
    if (current === undefined || probe.startMs - lastStart > intervalMs / 4) {
      cycles.push({ startMs: probe.startMs, endMs: probe.startMs + probe.durationMs, probes: 1 });
    } else {
      current.endMs = Math.max(current.endMs, probe.startMs + probe.durationMs);
      current.probes += 1;
    }
    lastStart = probe.startMs;
  }
  return cycles;
}

export interface DriftFigures {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  spanP50Ms: number;
  overlapping: number;
}

/** Each cycle's start against the ideal schedule (the first start + k intervals, k the nearest whole number). */
export function driftFigures(cycles: readonly Cycle[], intervalMs: number): DriftFigures {
  const first = cycles[0];
  if (first === undefined) return { p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, spanP50Ms: Number.NaN, overlapping: 0 };
  const offsets = cycles.map((cycle) => {
    const k = Math.round((cycle.startMs - first.startMs) / intervalMs);
    return Math.abs(cycle.startMs - (first.startMs + k * intervalMs));
  });
  const overlapping = cycles.filter((cycle, i) => i > 0 && cycle.startMs < (cycles[i - 1] as Cycle).endMs).length;
  return {
    p50Ms: percentile(offsets, 50),
    p99Ms: percentile(offsets, 99),
    maxMs: Math.max(...offsets),
    spanP50Ms: percentile(
      cycles.map((cycle) => cycle.endMs - cycle.startMs),
      50,
    ),
    overlapping,
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}
