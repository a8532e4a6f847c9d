import type { RollupBucket } from '@mirrorwatch/scoring';

/** An hourly rollup of mirror 'm' at the local vantage with nothing measured; tests patch what they need. Test-only. */
export function rollupBucket(at: string, patch: Partial<RollupBucket> = {}): RollupBucket {
  return {
    mirrorId: 'm',
    vantageId: 'local',
    granularity: 'hour',
    bucketStart: new Date(at),
    probes: 0,
    successes: 0,
    manifestP50Ms: null,
    manifestP95Ms: null,
    dnsP50Ms: null,
    connectP50Ms: null,
    tlsP50Ms: null,
    pingTtfbP50Ms: null,
    tokenP50Ms: null,
    throughputP50BytesPerSec: null,
    failures: {},
    ...patch,
  };
}
