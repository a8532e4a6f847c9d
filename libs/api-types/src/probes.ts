import type { FailureClass, PhaseTimings, ProbeKind, ProbePhase } from '@mirrorwatch/domain';

/**
 * `GET /api/mirrors/:id/probes?limit=50&failuresOnly=true`: the most recent
 * probes of one mirror, newest first. `limit` defaults to 50 (max 500);
 * `failuresOnly=true` keeps only failed probes (the detail page's "recent
 * failures", which a plain limit would bury under successes).
 */
export interface ProbeDto {
  id: string;
  mirrorId: string;
  /** Where the probe ran from (vantage id, `local` for this server). */
  vantage: string;
  kind: ProbeKind;
  /**
   * Repository pulled: `library/alpine` for the status probes (coverage
   * checks are stored per image, not as probes).
   */
  repository: string | null;
  /** ISO-8601. */
  startedAt: string;
  durationMs: number;
  ok: boolean;
  failureClass: FailureClass | null;
  failedPhase: ProbePhase | null;
  detail: string | null;
  httpStatus: number | null;
  timings: PhaseTimings;
  /** Top-level manifest digest served, when the manifest step succeeded. */
  digest: string | null;
  mediaType: string | null;
  /** Deep probes: blob throughput and whether its sha256 matched. */
  throughputBytesPerSec: number | null;
  blobVerified: boolean | null;
  retryAfterSeconds: number | null;
}

export const PROBES_DEFAULT_LIMIT = 50;
export const PROBES_MAX_LIMIT = 500;
