import { Injectable } from '@nestjs/common';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { MirrorStateRepository } from '#infrastructure/persistence/mirror-state.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';

import { VerdictRepository, type StoredEvaluation } from '#infrastructure/persistence/verdict.repository.js';
import { UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import { MAIN_PROBE_REPOSITORIES, probeImageFor, probeImageForUpstream } from '#infrastructure/configuration/probed-image.js';
import { toMirrorState } from '#infrastructure/persistence/mirror-state-mapping.js';
import type { MirrorFacts } from './mirror-facts.js';
import { CoverageService } from '#probing/coverage/coverage.service.js';
import { FreshnessService } from '#probing/freshness/freshness.service.js';
import { WindowCountsReader } from './rollups/window-counts.reader.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { newer } from './newer-probe.js';
import { ProbeWindowsService } from './windows/probe-windows.service.js';

const HOUR_MS = 3_600_000;
/** Speed is judged on the last hour, stability on the last day (README, "What it does"). */
const SPEED_WINDOW_MS = HOUR_MS;
const STABILITY_WINDOW_MS = 24 * HOUR_MS;

/**
 * Gathers, in a handful of queries, what the ranking needs about every enabled
 * mirror. Everything comes from what the database holds, the scheduler's
 * verdicts included, never from the scheduler's working memory: leader and
 * followers build the same rows from the same facts. The leader reads its own
 * probes' windows (ProbeWindowsService) and the freshness evaluations it
 * stored (FreshnessService.storedEvaluations) from memory, which answer what
 * these queries would.
 */
@Injectable()
export class MirrorFactsReader {
  constructor(
    private readonly mirrors: MirrorRepository,
    private readonly states: MirrorStateRepository,
    private readonly probes: ProbeRepository,
    private readonly verdicts: VerdictRepository,
    private readonly coverage: CoverageService,
    private readonly windowCounts: WindowCountsReader,
    private readonly windows: ProbeWindowsService,
    private readonly freshness: FreshnessService,
  ) {}

  /** The scheduler reads the evaluations it stored from its own copy of them; any other replica, from the database. */
  private async loadEvaluations(): Promise<ReadonlyMap<string, StoredEvaluation>> {
    return this.freshness.storedEvaluations() ?? loadEvaluationsOf(this.verdicts);
  }

  /**
   * The local vantage's facts: every probe read is this server's own. An
   * agent's results are another network's (vantage views, VantageFactsReader);
   * counted here they would move the local ranking and the default exports.
   */
  async read(now: Date): Promise<MirrorFacts[]> {
    const vantageId = LOCAL_VANTAGE_ID;
    const local = { vantageId, repository: { in: [...MAIN_PROBE_REPOSITORIES] } };
    const speedSince = new Date(now.getTime() - SPEED_WINDOW_MS);
    const stabilitySince = new Date(now.getTime() - STABILITY_WINDOW_MS);
    const definitions = await this.mirrors.listEnabled();
    const ids = definitions.map((definition) => definition.id);
    const live = this.windows.read(now);
    // One read of the states, shared with the coverage judgement.
    const statesRead = this.states.getAll();
    const [states, latestLight, latestDeep, latencies, counts, integrity, deep, evaluations, timeouts, connectTimeouts, coverage] =
      await Promise.all([
        statesRead,
        live?.latestLight ?? this.probes.latestByMirror({ ...local, kind: 'light' }),
        live?.latestDeep ?? this.probes.latestByMirror({ ...local, kind: 'deep' }),
        live?.manifestLatencies ?? this.probes.manifestLatenciesSince(speedSince, local),
        live?.counts ?? this.windowCounts.countsBetween(vantageId, stabilitySince, null, now),
        // Any image: a mirror that served a corrupt blob of another image is as untrustworthy.
        live?.integrityFailures ?? this.probes.failureCountsSince(stabilitySince, 'integrity', { vantageId }),
        live?.latestSuccessfulDeep ?? this.probes.latestSuccessfulDeepByMirror(ids, vantageId),
        this.loadEvaluations(),
        live?.timeouts ?? this.probes.failureCountsSince(stabilitySince, 'timeout', local),
        live?.connectTimeouts ?? this.probes.failureCountsSince(stabilitySince, 'connect_timeout', local),
        // Judged from stored evidence on every rebuild, so a follower judges as the leader does.
        this.coverage.judge(now, statesRead),
      ]);
    const latest = new Map(
      definitions.flatMap((d) => {
        const newest = newer(latestLight.get(d.id) ?? null, latestDeep.get(d.id) ?? null);
        return newest ? [[d.id, newest] as const] : [];
      }),
    );
    // A mirror can be down while its latest light probe passed (a confirmed blob
    // failure): fetch the failure that explains it, for those few mirrors only.
    const standing = new Map(
      await Promise.all(
        definitions
          .filter((d) => states.get(d.id)?.status === 'down' && latest.get(d.id)?.ok === true)
          .map(async (d) => [d.id, (await this.probes.recent(d.id, vantageId, 1, { failuresOnly: true }))[0] ?? null] as const),
      ),
    );
    return definitions.map((definition): MirrorFacts => {
      const stored = states.get(definition.id) ?? null;
      const evaluation = evaluations.get(probeImageFor(definition).imageKey) ?? null;
      const latestProbe = latest.get(definition.id) ?? null;
      const count = counts.get(definition.id);
      return {
        definition,
        state: stored ? toMirrorState(stored) : null,
        latestProbe,
        latestByKind: { light: latestLight.get(definition.id) ?? null, deep: latestDeep.get(definition.id) ?? null },
        standingFailure: standing.get(definition.id) ?? null,
        manifestLatenciesMs: latencies.get(definition.id) ?? [],
        probes24h: count?.probes ?? 0,
        successes24h: count?.successes ?? 0,
        throughputBytesPerSec: deep.get(definition.id)?.blob?.throughputBytesPerSec ?? null,
        lastVerifiedAt: deep.get(definition.id)?.startedAt ?? null,
        verifiedBlobDigest: deep.get(definition.id)?.blob?.digest ?? null,
        integrityFailures24h: integrity.get(definition.id) ?? 0,
        lastDigest: stored?.lastDigest ?? null,
        freshness: evaluation?.verdicts.get(definition.id)?.freshness.state ?? 'unknown',
        referenceDigest: evaluation?.reference?.digest ?? null,
        coverage: coverage.mirrors.get(definition.id) ?? null,
        hangs24h: (timeouts.get(definition.id) ?? 0) + (connectTimeouts.get(definition.id) ?? 0),
      };
    });
  }
}

/** Each upstream's stored freshness evaluation, by its probe image key (one read for all of them). */
function loadEvaluationsOf(verdicts: VerdictRepository): Promise<Map<string, StoredEvaluation>> {
  return verdicts.loadAll(
    LOCAL_VANTAGE_ID,
    UPSTREAM_HOSTS.map((upstream) => probeImageForUpstream(upstream).imageKey),
  );
}
