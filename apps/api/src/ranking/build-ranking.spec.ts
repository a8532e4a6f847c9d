import { describe, expect, it } from 'vitest';
import type { MirrorState } from '@mirrorwatch/scoring';
import { buildRanking } from './build-ranking.js';
import type { LatestProbeFacts, MirrorFacts } from './mirror-facts.js';

const at = new Date('2026-11-28T12:00:00Z');

function state(status: MirrorState['status'], extra: Partial<MirrorState> = {}): MirrorState {
  return {
    status,
    degradedReason: null,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    since: at,
    lastFailureClass: null,
    lastProbeAt: at,
    lastIntegrityFailureAt: null,
    ...extra,
  };
}
const passed: LatestProbeFacts = { startedAt: at, ok: true, failureClass: null, failedPhase: null, detail: null };

function facts(id: string, extra: Partial<MirrorFacts>): MirrorFacts {
  return {
    definition: { id, name: id, url: `https://${id}.example`, provider: null, notes: null, visibility: 'public', caPath: null },
    state: state('up'),
    latestProbe: passed,
    latestByKind: { light: null, deep: null },
    standingFailure: null,
    manifestLatenciesMs: [100, 120, 140],
    probes24h: 10,
    successes24h: 10,
    throughputBytesPerSec: 1e6,
    lastVerifiedAt: at,
    verifiedBlobDigest: 'sha256:' + 'a'.repeat(64),
    integrityFailures24h: 0,
    lastDigest: 'sha256:' + 'b'.repeat(64),
    freshness: 'fresh',
    referenceDigest: 'sha256:' + 'b'.repeat(64),
    coverage: null,
    hangs24h: 0,
    ...extra,
  };
}

describe('buildRanking', () => {
  it('ranks working mirrors by latency and leaves the others unranked and ineligible', () => {
    const { summaries } = buildRanking([
      facts('slow', { manifestLatenciesMs: [900, 950] }),
      facts('fast', {}),
      facts('dead', {
        state: state('down', { lastFailureClass: 'dns' }),
        latestProbe: { ...passed, ok: false, failureClass: 'dns', failedPhase: 'ping', detail: 'ENOTFOUND' },
      }),
    ]);
    expect(summaries.map((s) => [s.id, s.rank, s.eligible])).toEqual([
      ['fast', 1, true],
      ['slow', 2, true],
      ['dead', null, false],
    ]);
    expect(summaries[0]).toMatchObject({ latencyMs: 120, latencyP95Ms: 140, successRate24h: 1, failureClass: null });
    expect(summaries[2]).toMatchObject({ failureClass: 'dns', failedPhase: 'ping', failureDetail: 'ENOTFOUND' });
  });

  it('explains a down mirror whose latest light probe passed with the failure that put it there', () => {
    const stalled: LatestProbeFacts = {
      startedAt: at,
      ok: false,
      failureClass: 'timeout',
      failedPhase: 'blob',
      detail: 'blob body stopped after 131072 bytes',
    };
    const [summary] = buildRanking([
      facts('stalled', { state: state('down', { lastFailureClass: 'timeout' }), standingFailure: stalled }),
    ]).summaries;
    expect(summary).toMatchObject({
      status: 'down',
      failureClass: 'timeout',
      failedPhase: 'blob',
      failureDetail: stalled.detail,
      eligible: false,
    });
  });

  it.each([
    ['allowlisted', 'allowlisted'],
    ['stale', 'stale'],
    ['slow', null],
  ] as const)('shows the degraded reason %s as the failure class %s', (reason, shown) => {
    const [summary] = buildRanking([facts('m', { state: state('degraded', { degradedReason: reason }) })]).summaries;
    expect(summary?.status).toBe('degraded');
    expect(summary?.failureClass).toBe(shown);
  });

  it('keeps an allowlisting mirror eligible, after the full ones, and shows what it refuses', () => {
    const refused = { image: 'grafana/grafana:latest', failureClass: 'forbidden' as const };
    const { summaries } = buildRanking([
      facts('allowlist', {
        manifestLatenciesMs: [10],
        state: state('degraded', { degradedReason: 'allowlisted' }),
        coverage: { verdict: 'library_only', failing: [refused], judged: 2, servedShare: 0.5 },
      }),
      facts('full', { manifestLatenciesMs: [900] }),
    ]);
    expect(summaries.map((s) => [s.id, s.rank, s.eligible, s.coverage.verdict])).toEqual([
      ['full', 1, true, 'unknown'],
      ['allowlist', 2, true, 'library_only'],
    ]);
    expect(summaries[1]?.coverage.failing).toEqual([refused]);
  });

  it('makes a stale mirror or one with an integrity failure ineligible', () => {
    const { summaries } = buildRanking([
      facts('stale', { freshness: 'stale' }),
      facts('corrupt', { integrityFailures24h: 1 }),
      facts('ok', {}),
    ]);
    expect(summaries.filter((s) => s.eligible).map((s) => s.id)).toEqual(['ok']);
  });
});
