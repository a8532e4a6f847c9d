import type { FailureClass, ProbePhase, ProbeResult } from '@mirrorwatch/domain';
import { nextMirrorState, type MirrorState } from './mirror-state.js';
import { percentile } from './percentile.js';
import type { StatusPolicy } from './policy.js';

/**
 * The longest quiet time a 429's Retry-After can buy: a mirror that answers
 * "come back in a year" (or sends a number too big for a Date) is still
 * probed at least this often, so it can recover.
 */
export const MAX_RETRY_AFTER_SECONDS = 3600;

/** Manifest times kept per mirror to tell "slow" from "up" between ranking rebuilds. */
const RECENT_LATENCY_SAMPLES = 60;

/** Phases of a deep probe that move image content rather than metadata. */
export const BLOB_PHASES: ReadonlySet<ProbePhase> = new Set<ProbePhase>(['config', 'blob']);

/** What is remembered about one mirror between two of its probes. */
export interface TrackedMirror {
  state: MirrorState | null;
  retryNotBefore: number | null;
  /** Failure of the latest deep probe in its blob phases; cleared by a deep probe that passes. */
  blobFailure: FailureClass | null;
  blobFailureDetail: string | null;
  recentManifestMs: number[];
  lastDigest: string | null;
  lastDigestChangeAt: Date | null;
}

export const UNTRACKED_MIRROR: TrackedMirror = {
  state: null,
  retryNotBefore: null,
  blobFailure: null,
  blobFailureDetail: null,
  recentManifestMs: [],
  lastDigest: null,
  lastDigestChangeAt: null,
};

/** The incident a state change opens (went down) or closes (left down). */
export type IncidentChange =
  | { kind: 'open'; incident: { mirrorId: string; startedAt: Date; failureClass: FailureClass; detail: string | null } }
  | { kind: 'close'; mirrorId: string; endedAt: Date }
  | null;

/** What else is known about the mirror when its probe result arrives. */
export interface TrackingContext {
  /** The freshness verdict says it serves an old digest past the grace period. */
  stale: boolean;
  /** Coverage checks found it refuses every non-library image. */
  libraryOnly: boolean;
  policy: StatusPolicy;
  probeIntervalSeconds: number;
}

/** One probe applied to one mirror: the memory to keep, the state change and the incident it implies. */
export interface TrackingStep {
  entry: TrackedMirror;
  previous: MirrorState | null;
  next: MirrorState;
  failureClass: FailureClass | null;
  incident: IncidentChange;
}

/**
 * Applies one probe outcome to what is remembered of the mirror: hysteresis
 * (`nextMirrorState`), Retry-After, the digest served, and the blob failure
 * of the latest deep probe. Pure: the caller persists and announces the step.
 */
export function trackProbe(mirrorId: string, current: TrackedMirror, result: ProbeResult, context: TrackingContext): TrackingStep {
  const entry: TrackedMirror = { ...current, recentManifestMs: [...current.recentManifestMs] };
  if (result.ok && result.timings.manifestMs !== null) {
    entry.recentManifestMs.push(result.timings.manifestMs);
    if (entry.recentManifestMs.length > RECENT_LATENCY_SAMPLES) entry.recentManifestMs.shift();
  }
  if (result.kind === 'deep') {
    const blobFailed = BLOB_PHASES.has(result.failedPhase ?? 'ping');
    entry.blobFailure = blobFailed ? result.failureClass : null;
    entry.blobFailureDetail = blobFailed ? result.detail : null;
  }
  const { ok, failureClass } = effectiveOutcome(result, entry, context);
  const previous = entry.state;
  const next = nextMirrorState(
    previous,
    { at: result.startedAt, ok, failureClass, recentManifestP50Ms: percentile(entry.recentManifestMs, 50) },
    context.policy,
  );
  entry.state = next;
  entry.retryNotBefore = retryNotBefore(result, context.probeIntervalSeconds);
  const digest = result.manifest?.digest ?? null;
  if (digest !== null && digest !== entry.lastDigest) {
    entry.lastDigest = digest;
    entry.lastDigestChangeAt = result.startedAt;
  }
  const detail = result.ok && entry.blobFailure !== null ? entry.blobFailureDetail : result.detail;
  return {
    entry,
    previous,
    next,
    failureClass,
    incident: incidentChange(mirrorId, previous, next, result.startedAt, failureClass, detail),
  };
}

/**
 * A light probe that pulled the manifest fine can still describe a mirror
 * that fails `docker pull`: its blobs stalled or were corrupt at the last
 * deep probe (a failure until a deep probe passes), it serves an old digest
 * past the grace period (stale: degraded and ineligible), or its coverage
 * checks found it refuses every non-library image with evidence
 * (allowlisted: degraded, still recommended after the full mirrors).
 */
function effectiveOutcome(
  result: ProbeResult,
  entry: TrackedMirror,
  context: TrackingContext,
): { ok: boolean; failureClass: FailureClass | null } {
  if (!result.ok) return { ok: false, failureClass: result.failureClass };
  if (entry.blobFailure !== null) return { ok: false, failureClass: entry.blobFailure };
  if (context.stale) return { ok: true, failureClass: 'stale' };
  if (context.libraryOnly) return { ok: true, failureClass: 'allowlisted' };
  return { ok: true, failureClass: null };
}

/**
 * When a rate-limited mirror may be probed again: its Retry-After, capped at
 * MAX_RETRY_AFTER_SECONDS; a 429 without one still earns one quiet interval.
 * Always a finite time, so the stored Date is valid.
 */
export function retryNotBefore(result: ProbeResult, probeIntervalSeconds: number): number | null {
  if (result.failureClass !== 'rate_limited') return null;
  const asked = result.retryAfterSeconds ?? probeIntervalSeconds;
  // NaN or negative: not a usable answer; Infinity and huge values: the cap.
  const waitSeconds = !Number.isNaN(asked) && asked >= 0 ? Math.min(asked, MAX_RETRY_AFTER_SECONDS) : probeIntervalSeconds;
  return result.startedAt.getTime() + Math.max(0, result.durationMs) + waitSeconds * 1000;
}

/** The incident a state change opens (went down) or closes (left down). */
export function incidentChange(
  mirrorId: string,
  previous: MirrorState | null,
  next: MirrorState,
  at: Date,
  failureClass: FailureClass | null,
  detail: string | null,
): IncidentChange {
  const wasDown = previous?.status === 'down';
  if (!wasDown && next.status === 'down')
    return { kind: 'open', incident: { mirrorId, startedAt: at, failureClass: failureClass ?? 'internal', detail } };
  if (wasDown && next.status !== 'down') return { kind: 'close', mirrorId, endedAt: at };
  return null;
}
