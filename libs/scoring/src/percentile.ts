import { weightedPercentile } from './weighted-percentile.js';

/**
 * Nearest-rank percentile: the smallest sample such that at least `p` % of the
 * samples are <= it (rank = ceil(p/100 * n), at least 1). Chosen over linear
 * interpolation because the answer is always a latency we really measured,
 * and with the few samples of a short window interpolation invents precision.
 * Returns null for no samples; non-finite samples are ignored.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  // Each sample stands for one observation: the weighted nearest rank with unit weights.
  return weightedPercentile(
    values.filter((v) => Number.isFinite(v)).map((value) => ({ value, weight: 1 })),
    p,
  );
}
