/**
 * Nearest-rank percentile: the smallest sample such that at least `p` % of the
 * samples are <= it (rank = ceil(p/100 * n), at least 1). Chosen over linear
 * interpolation because the answer is always a latency we really measured,
 * and with the few samples of a short window interpolation invents precision.
 * Returns null for no samples; non-finite samples are ignored.
 *
 * The same answer as `weightedPercentile` with every weight 1, without an
 * object per sample: the ranking asks for two percentiles of each mirror's
 * hour of latencies every cycle, and those objects were the largest share of
 * what a ranking rebuild allocated (issue 10).
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const finite = new Float64Array(values.length);
  let count = 0;
  for (const value of values) if (Number.isFinite(value)) finite[count++] = value;
  if (count === 0) return null;
  // A typed array sorts numerically in place; the rank counts from 1.
  const sorted = finite.subarray(0, count).sort();
  return sorted[Math.max(1, Math.ceil((p / 100) * count)) - 1] ?? null;
}
