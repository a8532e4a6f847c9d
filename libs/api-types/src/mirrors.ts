import type { FailureClass, MirrorStatus, PathStyle, ProbePhase, Visibility } from '@mirrorwatch/domain';

/** One row of `GET /api/mirrors`: a mirror with its current status and stats. */
export interface MirrorSummaryDto {
  id: string;
  name: string;
  url: string;
  provider: string | null;
  notes: string | null;
  visibility: Visibility;
  status: MirrorStatus;
  /** Failure class of the latest probe; null when it succeeded or none ran yet. */
  failureClass: FailureClass | null;
  failedPhase: ProbePhase | null;
  failureDetail: string | null;
  /** ISO-8601 time of the latest probe; null before the first. */
  lastProbeAt: string | null;
  /** p50 of the last hour's successful manifest fetches, milliseconds. */
  latencyMs: number | null;
  /** p95 of the last hour's successful manifest fetches, milliseconds. */
  latencyP95Ms: number | null;
  /** Share of successful probes over the last 24 hours, 0..1; null without probes. */
  successRate24h: number | null;
  probes24h: number;
  /** Top-level manifest digest of the probed image at the latest successful probe. */
  lastDigest: string | null;
  /**
   * Whether the mirror serves the reference digest of the probed tag: `fresh`,
   * `lagging` (differs, within the grace period), `stale` (past it) or `unknown`.
   */
  freshness: 'fresh' | 'lagging' | 'stale' | 'unknown';
  /** The digest mirrors are compared with (upstream's, or the working mirrors' majority). */
  referenceDigest: string | null;
  /** ISO-8601 time of the latest deep probe that verified a blob against its sha256 digest. */
  lastVerifiedAt: string | null;
  verifiedBlobDigest: string | null;
  /** Latest measured blob throughput (deep probe), bytes per second. */
  throughputBytesPerSec: number | null;
  /** How much of Docker Hub the mirror serves, judged on the coverage images by evidence. */
  coverage: MirrorCoverageDto;
  /** 1-based position in the ranking; null when not ranked (down, unknown, ineligible). */
  rank: number | null;
  /** Whether the mirror may be recommended right now. */
  eligible: boolean;
  /** The registry this mirror stands in for (`docker.io`, `registry.k8s.io`, ...); ranks are per upstream. */
  upstream: string;
  /** Repository prefix of a path-prefix mirror (`registry.k8s.io` on `m.daocloud.io`); null when served at the root. */
  pathPrefix: string | null;
  /** Where the prefix goes: after /v2/ (`repository-prefix`) or before /v2 (`registry-root`); null without a prefix. */
  pathStyle: PathStyle | null;
}

export const COVERAGE_VERDICTS = ['all', 'library_only', 'partial', 'unknown'] as const;
export type CoverageVerdictDto = (typeof COVERAGE_VERDICTS)[number];

export interface MirrorCoverageDto {
  /**
   * `all`: every tested image that exists is served; `library_only`: official
   * images only, every other one refused (an allowlist); `partial`: some refused
   * or missing while others serve them; `unknown`: no evidence yet.
   */
  verdict: CoverageVerdictDto;
  /** Tested images the mirror refuses (403/DENIED, or 404 for an image someone else serves), `repository:tag`. */
  failing: { image: string; failureClass: FailureClass }[];
  /** Tested images with a verdict (served, or refused with evidence). */
  judged: number;
}

export interface RecommendedDaemonJsonDto {
  'registry-mirrors': string[];
}

/** Header set on exports when no mirror is healthy (the list is empty and dockerd falls back to Docker Hub). */
export const NO_HEALTHY_MIRRORS_HEADER = 'X-Mirrorwatch-Warning';
/**
 * Header on every recommendation export: the expected time to the manifest's
 * first byte of one pull through the served list from this vantage, in
 * milliseconds, fallbacks included (dockerd walks the list in order; failure
 * rates are the measured ones).
 */
export const EXPECTED_PULL_MS_HEADER = 'X-Mirrorwatch-Expected-Pull-Ms';
/** Header on every recommendation export: the length mirrorwatch recommends (used when `count` is not given). */
export const RECOMMENDED_COUNT_HEADER = 'X-Mirrorwatch-Recommended-Count';

export interface ApiErrorDto {
  statusCode: number;
  error: string;
  message: string;
  /** The offending field or query parameter, when the error is about one. */
  field?: string;
}
