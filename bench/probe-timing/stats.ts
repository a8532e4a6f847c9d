export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median of |a_i - b_i| over runs paired by index (interleaved, so they share machine conditions). */
export function medianPairedAbsoluteError(a: readonly number[], b: readonly number[]): number {
  return median(a.map((value, index) => Math.abs(value - (b[index] ?? Number.NaN))));
}

/** Nearest-rank percentile (p in 0-100); NaN for no values. */
export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}
