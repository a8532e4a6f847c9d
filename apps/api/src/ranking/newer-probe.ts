import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';

/**
 * The later of two probes (a light and a deep one), as the single latest
 * probe a summary shows; of two started in one millisecond, the later stored
 * (higher id), as ProbeRepository's newest-first reads order them. Used by
 * the local facts and every vantage view alike.
 */
export function newer(a: ProbeRecord | null, b: ProbeRecord | null): ProbeRecord | null {
  if (!a || !b) return a ?? b;
  return b.startedAt.getTime() > a.startedAt.getTime() || (b.startedAt.getTime() === a.startedAt.getTime() && b.id > a.id) ? b : a;
}
