import type { FailureClass, PhaseTimings, ProbePhase } from '@mirrorwatch/domain';

/** `POST /api/checks` body: the mirror to check, as it would go into daemon.json's `registry-mirrors`. */
export interface CreateCheckRequestDto {
  url: string;
}

/**
 * One "check my mirror" run: the light probe (`/v2/`, token, manifest of
 * `library/alpine:latest`) plus one blob, against a user-given URL. Kept in
 * memory for CHECK_RESULT_TTL_SECONDS under a random id, never stored and
 * never added to the catalog.
 */
export interface CheckDto {
  id: string;
  /** The normalized URL checked. */
  url: string;
  /** `usable`: a pull through it would work now; `unusable`: it would fail, see failureClass. */
  verdict: 'usable' | 'unusable';
  /** ISO-8601. */
  startedAt: string;
  durationMs: number;
  failureClass: FailureClass | null;
  failedPhase: ProbePhase | null;
  detail: string | null;
  httpStatus: number | null;
  timings: PhaseTimings;
  /** Digest of `library/alpine:latest` as served. */
  digest: string | null;
  blob: { digest: string; bytes: number; verified: boolean; throughputBytesPerSec: number | null } | null;
  /** ISO-8601: when `GET /api/checks/{id}` stops answering. */
  expiresAt: string;
}

/** How long a finished check can be fetched again. */
export const CHECK_RESULT_TTL_SECONDS = 900;
