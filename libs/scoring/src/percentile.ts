/**
 * Nearest-rank percentile: the smallest sample such that at least `p` % of the
 * samples are <= it (rank = ceil(p/100 * n), at least 1). Chosen over linear
 * interpolation because the answer is always a latency we really measured,
 * and with the few samples of a short window interpolation invents precision.
 * Returns null for no samples; non-finite samples are ignored.
 */
export function percentile(values: readonly number[], p: number): number | null {
  if (!Number.isFinite(p) || p < 0 || p > 100) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1] ?? null;
}
