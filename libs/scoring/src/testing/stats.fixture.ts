import type { MirrorStats } from '../rank-mirrors.js';

/** Builds a healthy mirror's stats for tests; override what the case is about. */
export function stats(id: string, override: Partial<MirrorStats> = {}): MirrorStats {
  return {
    id,
    url: `https://${id}.example`,
    status: 'up',
    degradedReason: null,
    successRate24h: 1,
    manifestP50Ms1h: 300,
    throughputBytesPerSec: 1_000_000,
    integrityFailuresInWindow: 0,
    freshness: 'fresh',
    coverage: 'all',
    servedShare: 1,
    probes24h: 1440,
    hangs24h: 0,
    ...override,
  };
}
