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
  /**
   * Least-squares slope of the signed offsets against time, in ms per hour: a
   * schedule that shifts with every late tick (setInterval re-arms from when
   * its callback ran) shows here even while each single tick is only a little late.
   */
  trendMsPerHour: number;
  /** Each cycle's start minus its grid point, in order. */
  signedMs: number[];
}

export interface MirrorProbeTime extends ProbeTime {
  mirrorId: string;
}

/**
 * Overlapping cycles in the sense that matters (issue 10): the same mirror
 * probed twice at once, i.e. a probe that started before the previous probe
 * of that mirror (any kind) had ended. Cycles themselves may overlap: a probe
 * still running at its cycle's deadline is carried while the next cycle
 * probes the other mirrors. Rows store whole milliseconds, so a start equal
 * to the previous end is not an overlap.
 */
export function overlappingProbes(probes: readonly MirrorProbeTime[]): number {
  const lastEndByMirror = new Map<string, number>();
  let overlapping = 0;
  for (const probe of [...probes].sort((a, b) => a.startMs - b.startMs)) {
    const lastEnd = lastEndByMirror.get(probe.mirrorId);
    if (lastEnd !== undefined && probe.startMs < lastEnd) overlapping += 1;
    lastEndByMirror.set(probe.mirrorId, Math.max(lastEnd ?? 0, probe.startMs + probe.durationMs));
  }
  return overlapping;
}

/**
 * Each cycle's start against the ideal schedule: a grid of one interval whose
 * phase is the median phase of the cycles' starts. Anchoring on the first
 * cycle alone measured its start-up (the product starts the probe engine
 * thread on the first probe, about a second) as everyone else's drift.
 */
export function driftFigures(cycles: readonly Cycle[], intervalMs: number): DriftFigures {
  const first = cycles[0];
  if (first === undefined)
    return { p50Ms: Number.NaN, p99Ms: Number.NaN, maxMs: Number.NaN, spanP50Ms: Number.NaN, trendMsPerHour: Number.NaN, signedMs: [] };
  const wrap = (ms: number) => ms - Math.round(ms / intervalMs) * intervalMs;
  const phase = percentile(
    cycles.map((cycle) => wrap(cycle.startMs - first.startMs)),
    50,
  );
  const signed = cycles.map((cycle) => wrap(cycle.startMs - first.startMs - phase));
  const offsets = signed.map(Math.abs);
  return {
    signedMs: signed,
    trendMsPerHour: slope(
      cycles.map((cycle) => (cycle.startMs - first.startMs) / 3_600_000),
      signed,
    ),
    p50Ms: percentile(offsets, 50),
    p99Ms: percentile(offsets, 99),
    maxMs: Math.max(...offsets),
    spanP50Ms: percentile(
      cycles.map((cycle) => cycle.endMs - cycle.startMs),
      50,
    ),
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

function slope(xs: readonly number[], ys: readonly number[]): number {
  if (xs.length < 2) return Number.NaN;
  const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
  const [mx, my] = [mean(xs), mean(ys)];
  let numerator = 0;
  let denominator = 0;
  xs.forEach((x, i) => {
    numerator += (x - mx) * ((ys[i] as number) - my);
    denominator += (x - mx) ** 2;
  });
  return denominator === 0 ? Number.NaN : numerator / denominator;
}
