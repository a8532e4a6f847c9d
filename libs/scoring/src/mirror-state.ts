import type { FailureClass, MirrorStatus } from '@mirrorwatch/domain';
import { DEFAULT_STATUS_POLICY, type StatusPolicy } from './policy.js';

/** Why a working mirror is shown as `degraded`. */
export type DegradedReason = 'slow' | 'allowlisted' | 'stale' | 'rate_limited';

/** Per mirror (and vantage) status, carried from one probe to the next. */
export interface MirrorState {
  status: MirrorStatus;
  /** Set exactly when status is `degraded`. */
  degradedReason: DegradedReason | null;
  consecutiveFailures: number;
  consecutiveSuccesses: number;
  /** When `status` last changed (the start of the current up/down period). */
  since: Date;
  /** The most recent failure class seen (kept after recovery, for "last failed because"). */
  lastFailureClass: FailureClass | null;
  lastProbeAt: Date;
  /** Integrity failures make a mirror ineligible for the whole window; ranking reads this. */
  lastIntegrityFailureAt: Date | null;
}

/** What `nextMirrorState` needs from one probe. */
export interface ProbeOutcome {
  at: Date;
  ok: boolean;
  failureClass: FailureClass | null;
  /**
   * Manifest p50 over the speed window including this probe, computed by the
   * caller (see `percentile`); null or absent when unknown.
   */
  recentManifestP50Ms?: number | null;
}

/**
 * Failures that will not heal within a probe interval: a name that does not
 * resolve, a closed port, a bad certificate, a 403 allowlist. On a mirror we
 * have no verdict for yet, one of these says `down` at once; waiting
 * `failuresToDown` probes would only show `unknown` for longer. Hysteresis is
 * there to keep an established `up` mirror from flapping on a blip, and
 * timeouts, resets and 5xx are exactly the blips, so they are not here.
 */
const DEFINITIVE_ON_FIRST_PROBE: ReadonlySet<FailureClass> = new Set<FailureClass>([
  'dns',
  'connect_refused',
  'tls',
  'auth',
  'forbidden',
  'not_found',
  'bad_status',
  'bad_response',
  'too_large',
  'redirect_loop',
  'integrity',
  'blocked_address',
]);

/** The mirror answers and serves images, but not well enough to be called `up`. */
const WORKING_BUT_DEGRADED: Partial<Record<FailureClass, DegradedReason>> = {
  allowlisted: 'allowlisted',
  stale: 'stale',
};

type Signal =
  | { kind: 'working'; degradedReason: DegradedReason | null }
  | { kind: 'failure'; failureClass: FailureClass }
  /** Says nothing about the mirror's health: our own bug, or a 429 that only tells us to slow down. */
  | { kind: 'neutral'; failureClass: FailureClass };

function classify(probe: ProbeOutcome, policy: StatusPolicy, working: boolean): Signal {
  const failureClass = probe.failureClass;
  if (failureClass === 'internal') return { kind: 'neutral', failureClass };
  // A 429 from a mirror that serves us is a request to slow down. From a mirror
  // that never served us it is all a pull would get: a transient failure.
  if (failureClass === 'rate_limited') return working ? { kind: 'neutral', failureClass } : { kind: 'failure', failureClass };
  if (failureClass !== null) {
    const reason = WORKING_BUT_DEGRADED[failureClass];
    return reason ? { kind: 'working', degradedReason: reason } : { kind: 'failure', failureClass };
  }
  // A failed probe without a class is an engine bug; count it as a transient failure, never as success.
  if (!probe.ok) return { kind: 'failure', failureClass: 'internal' };
  const p50 = probe.recentManifestP50Ms;
  const slow = p50 !== null && p50 !== undefined && p50 > policy.slowManifestP50Ms;
  return { kind: 'working', degradedReason: slow ? 'slow' : null };
}

/**
 * Advances a mirror's status by one probe, with hysteresis:
 *
 * - first verdict (no state, or `unknown`): a success says `up` (or
 *   `degraded`) at once; a definitive failure (dns, refused, tls, 403, ...)
 *   says `down` at once; a transient one (timeout, reset, 5xx) waits for
 *   `failuresToDown` in a row and stays `unknown` until then;
 * - up/degraded -> down after `failuresToDown` consecutive hard failures;
 * - down -> up after `successesToUp` consecutive working probes;
 * - an integrity failure (content does not match its digest) is `down` at
 *   once whatever the counters say: a corrupting mirror is worse than a dead one;
 * - `allowlisted` and `stale` probes show the mirror works but not fully: they
 *   count as working and make it `degraded`;
 * - `internal` counts neither way; `rate_limited` counts neither way on a
 *   working mirror (it becomes `degraded`), but as a transient failure on a
 *   mirror that is not working: a mirror that only ever answers 429 is down
 *   for everyone who pulls through it.
 */
export function nextMirrorState(prev: MirrorState | null, probe: ProbeOutcome, policy: StatusPolicy = DEFAULT_STATUS_POLICY): MirrorState {
  const base: MirrorState = prev ?? {
    status: 'unknown',
    degradedReason: null,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    since: probe.at,
    lastFailureClass: null,
    lastProbeAt: probe.at,
    lastIntegrityFailureAt: null,
  };
  const working = base.status === 'up' || base.status === 'degraded';
  const signal = classify(probe, policy, working);

  switch (signal.kind) {
    case 'neutral': {
      const rateLimitedWhileWorking = signal.failureClass === 'rate_limited' && working;
      return withStatus(
        base,
        probe.at,
        rateLimitedWhileWorking ? 'degraded' : base.status,
        rateLimitedWhileWorking ? 'rate_limited' : base.degradedReason,
        {
          lastFailureClass: signal.failureClass,
        },
      );
    }
    case 'working': {
      const successes = base.consecutiveSuccesses + 1;
      const stillDown = base.status === 'down' && successes < policy.successesToUp;
      const status: MirrorStatus = stillDown ? 'down' : signal.degradedReason ? 'degraded' : 'up';
      return withStatus(base, probe.at, status, stillDown ? null : signal.degradedReason, {
        consecutiveSuccesses: successes,
        consecutiveFailures: 0,
        lastFailureClass:
          signal.degradedReason === 'allowlisted' || signal.degradedReason === 'stale' ? signal.degradedReason : base.lastFailureClass,
      });
    }
    case 'failure': {
      const failures = base.consecutiveFailures + 1;
      const integrity = signal.failureClass === 'integrity';
      const firstVerdict = base.status === 'unknown';
      const goesDown =
        integrity ||
        base.status === 'down' ||
        failures >= policy.failuresToDown ||
        (firstVerdict && DEFINITIVE_ON_FIRST_PROBE.has(signal.failureClass));
      return withStatus(base, probe.at, goesDown ? 'down' : base.status, goesDown ? null : base.degradedReason, {
        consecutiveFailures: failures,
        consecutiveSuccesses: 0,
        lastFailureClass: signal.failureClass,
        lastIntegrityFailureAt: integrity ? probe.at : base.lastIntegrityFailureAt,
      });
    }
  }
}

function withStatus(
  base: MirrorState,
  at: Date,
  status: MirrorStatus,
  degradedReason: DegradedReason | null,
  changes: Partial<MirrorState>,
): MirrorState {
  return {
    ...base,
    ...changes,
    status,
    degradedReason: status === 'degraded' ? degradedReason : null,
    since: status === base.status ? base.since : at,
    lastProbeAt: at,
  };
}
