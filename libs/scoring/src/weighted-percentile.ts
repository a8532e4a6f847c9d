/**
 * Nearest-rank percentile over values that each stand for `weight`
 * observations, e.g. an hourly p50 standing for that hour's successful probes.
 * Merging rollups this way is an estimate (the exact percentile needs the raw
 * values, gone after retention), but it keeps a busy hour from counting as
 * much as a quiet one. Null when the total weight is zero.
 */
export function weightedPercentile(entries: readonly { value: number; weight: number }[], p: number): number | null {
  const usable = entries.filter((entry) => entry.weight > 0).sort((a, b) => a.value - b.value);
  const total = usable.reduce((sum, entry) => sum + entry.weight, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * total));
  let seen = 0;
  for (const entry of usable) {
    seen += entry.weight;
    if (seen >= rank) return entry.value;
  }
  return usable[usable.length - 1]?.value ?? null;
}
