import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { DEFAULT_PATH_STYLE, upstreamOf } from '@mirrorwatch/domain';
import { percentile, rankMirrors, type MirrorStats, type RankedMirror, type RankingPolicy } from '@mirrorwatch/scoring';
import type { MirrorFacts } from './mirror-facts.js';

export interface Ranking {
  /** Every enabled mirror, ranked ones first in rank order. */
  summaries: MirrorSummaryDto[];
  ranked: RankedMirror[];
}

const round = (value: number | null, digits = 1): number | null =>
  value === null ? null : Math.round(value * 10 ** digits) / 10 ** digits;

/** Turns stored facts into the ranking and the `/api/mirrors` rows, in one pass. */
export function buildRanking(facts: readonly MirrorFacts[], policy?: RankingPolicy): Ranking {
  const byId = new Map(facts.map((fact) => [fact.definition.id, fact]));
  const stats: MirrorStats[] = facts.map((fact) => ({
    id: fact.definition.id,
    url: fact.definition.url,
    status: fact.state?.status ?? 'unknown',
    degradedReason: fact.state?.degradedReason ?? null,
    successRate24h: fact.probes24h > 0 ? fact.successes24h / fact.probes24h : null,
    manifestP50Ms1h: percentile(fact.manifestLatenciesMs, 50),
    throughputBytesPerSec: fact.throughputBytesPerSec,
    integrityFailuresInWindow: fact.integrityFailures24h,
    freshness: fact.freshness,
    coverage: fact.coverage?.verdict ?? 'unknown',
    servedShare: fact.coverage?.servedShare ?? null,
    probes24h: fact.probes24h,
    hangs24h: fact.hangs24h,
  }));
  const ranked = rankMirrors(stats, policy);
  const summaries = ranked.map((entry): MirrorSummaryDto => {
    const fact = byId.get(entry.id) as MirrorFacts;
    const latest = fact.latestProbe;
    // A mirror can be down (hysteresis, a confirmed blob failure) while its
    // latest light probe passed: the reason shown is then what put it there.
    const explaining = latest !== null && !latest.ok ? latest : entry.status === 'down' ? fact.standingFailure : null;
    const degradedReason = entry.status === 'degraded' && entry.degradedReason !== 'slow' ? entry.degradedReason : null;
    return {
      id: entry.id,
      name: fact.definition.name,
      url: fact.definition.url,
      provider: fact.definition.provider,
      notes: fact.definition.notes,
      visibility: fact.definition.visibility,
      status: entry.status,
      failureClass: explaining?.failureClass ?? (entry.status === 'down' ? (fact.state?.lastFailureClass ?? null) : degradedReason),
      failedPhase: explaining?.failedPhase ?? null,
      failureDetail: explaining?.detail ?? null,
      lastProbeAt: latest ? latest.startedAt.toISOString() : null,
      latencyMs: round(entry.manifestP50Ms1h),
      latencyP95Ms: round(percentile(fact.manifestLatenciesMs, 95)),
      successRate24h: entry.successRate24h === null ? null : round(entry.successRate24h, 4),
      probes24h: fact.probes24h,
      lastDigest: fact.lastDigest,
      freshness: fact.freshness,
      referenceDigest: fact.referenceDigest,
      lastVerifiedAt: fact.lastVerifiedAt?.toISOString() ?? null,
      verifiedBlobDigest: fact.verifiedBlobDigest,
      throughputBytesPerSec: round(entry.throughputBytesPerSec, 0),
      coverage: {
        verdict: entry.coverage,
        failing: fact.coverage?.failing ?? [],
        judged: fact.coverage?.judged ?? 0,
      },
      rank: entry.rank,
      eligible: entry.eligible,
      upstream: upstreamOf(fact.definition),
      pathPrefix: fact.definition.pathPrefix ?? null,
      pathStyle: fact.definition.pathPrefix ? (fact.definition.pathStyle ?? DEFAULT_PATH_STYLE) : null,
    };
  });
  return { summaries, ranked };
}
