import type { FailureClass, MirrorDefinition, ProbeKind, ProbePhase } from '@mirrorwatch/domain';
import type { FreshnessState, MirrorCoverage, MirrorState } from '@mirrorwatch/scoring';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';

/** The latest probe of a mirror, as far as the summary needs it. */
export interface LatestProbeFacts {
  startedAt: Date;
  ok: boolean;
  failureClass: FailureClass | null;
  failedPhase: ProbePhase | null;
  detail: string | null;
}

/** Everything the ranking needs to know about one mirror, gathered from storage. */
export interface MirrorFacts {
  definition: MirrorDefinition;
  state: MirrorState | null;
  latestProbe: LatestProbeFacts | null;
  /** The latest stored probe of the probed image per kind: what /metrics' per-probe series show on every replica. */
  latestByKind: Record<ProbeKind, ProbeRecord | null>;
  /** For a mirror that is down although its latest probe passed: the failure that put it there. */
  standingFailure: LatestProbeFacts | null;
  /** Successful manifest fetch times over the speed window (last hour). */
  manifestLatenciesMs: number[];
  probes24h: number;
  successes24h: number;
  /** Latest measured blob throughput (deep probe). */
  throughputBytesPerSec: number | null;
  /** Integrity failures inside the stability window: any one makes the mirror ineligible. */
  integrityFailures24h: number;
  /** When the latest successful deep probe verified a blob against its digest. */
  lastVerifiedAt: Date | null;
  verifiedBlobDigest: string | null;
  /** Top-level digest served at the latest successful light probe. */
  lastDigest: string | null;
  freshness: FreshnessState;
  referenceDigest: string | null;
  /** Coverage of the tested images; null before any coverage check. */
  coverage: MirrorCoverage | null;
  /** Light probes over the stability window that failed by hanging (timeouts): each costs dockerd its ping timeout. */
  hangs24h: number;
}
