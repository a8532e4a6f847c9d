import { Injectable } from '@nestjs/common';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import type { VantageMirrorStateRecord } from '#infrastructure/persistence/agent-result.repository.js';
import { MAIN_PROBE_REPOSITORIES } from '#infrastructure/configuration/probed-image.js';
import type { MirrorFacts } from '#ranking/mirror-facts.js';
import { newer } from '#ranking/newer-probe.js';
import { WindowCountsReader } from '#ranking/rollups/window-counts.reader.js';

const HOUR_MS = 3_600_000;

/**
 * A remote vantage's view of every mirror: the local facts (catalog entry,
 * freshness against the reference digest, image coverage: what a mirror
 * serves is the same from every network) with everything the network
 * decides replaced by the vantage's own probes: status, latest probe,
 * latency, success rate, hangs, throughput, integrity.
 */
@Injectable()
export class VantageFactsReader {
  constructor(
    private readonly probes: ProbeRepository,
    private readonly windowCounts: WindowCountsReader,
  ) {}

  async read(
    vantageId: string,
    local: readonly MirrorFacts[],
    states: ReadonlyMap<string, VantageMirrorStateRecord>,
    now: Date,
  ): Promise<MirrorFacts[]> {
    // The main probe image of every upstream, as the local facts count them.
    const repository = { in: [...MAIN_PROBE_REPOSITORIES] };
    const speedSince = new Date(now.getTime() - HOUR_MS);
    const stabilitySince = new Date(now.getTime() - 24 * HOUR_MS);
    const filter = { vantageId, repository };
    const [latestLight, latestDeep, latencies, counts, integrity, timeouts, connectTimeouts] = await Promise.all([
      this.probes.latestByMirror({ ...filter, kind: 'light' }),
      this.probes.latestByMirror({ ...filter, kind: 'deep' }),
      this.probes.manifestLatenciesSince(speedSince, filter),
      // Counted as the local ranking counts (the main image, light and deep): whole hours from this vantage's rollups.
      this.windowCounts.countsBetween(vantageId, stabilitySince, null, now),
      this.probes.failureCountsSince(stabilitySince, 'integrity', { vantageId }),
      this.probes.failureCountsSince(stabilitySince, 'timeout', filter),
      this.probes.failureCountsSince(stabilitySince, 'connect_timeout', filter),
    ]);
    return local.map((fact): MirrorFacts => {
      const id = fact.definition.id;
      const light = latestLight.get(id) ?? null;
      const deep = latestDeep.get(id) ?? null;
      const latest = newer(light, deep);
      const verifiedDeep = deep?.ok ? deep : null;
      const state = states.get(id) ?? null;
      return {
        ...fact,
        state,
        latestProbe: latest,
        latestByKind: { light, deep },
        standingFailure: null,
        manifestLatenciesMs: latencies.get(id) ?? [],
        probes24h: counts.get(id)?.probes ?? 0,
        successes24h: counts.get(id)?.successes ?? 0,
        throughputBytesPerSec: verifiedDeep?.blob?.throughputBytesPerSec ?? null,
        lastVerifiedAt: verifiedDeep?.startedAt ?? null,
        verifiedBlobDigest: verifiedDeep?.blob?.digest ?? null,
        integrityFailures24h: integrity.get(id) ?? 0,
        lastDigest: light?.manifest?.digest ?? null,
        hangs24h: (timeouts.get(id) ?? 0) + (connectTimeouts.get(id) ?? 0),
      };
    });
  }
}
