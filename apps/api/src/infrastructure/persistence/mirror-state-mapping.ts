import type { MirrorState } from '@mirrorwatch/scoring';
import type { MirrorStateRecord } from './mirror-state.repository.js';

/** Stored hysteresis state -> scoring's state. */
export function toMirrorState(record: MirrorStateRecord): MirrorState {
  return {
    status: record.status,
    degradedReason: record.status === 'degraded' ? record.degradedReason : null,
    consecutiveFailures: record.consecutiveFailures,
    consecutiveSuccesses: record.consecutiveSuccesses,
    since: record.since,
    lastFailureClass: record.lastFailureClass,
    lastProbeAt: record.lastProbeAt ?? record.since,
    lastIntegrityFailureAt: record.lastIntegrityFailureAt,
  };
}

/** Scoring's state -> the stored row, keeping the fields only the scheduler owns. */
export function toMirrorStateRecord(
  mirrorId: string,
  state: MirrorState,
  extra: Pick<MirrorStateRecord, 'retryNotBefore' | 'lastDigest' | 'lastDigestChangeAt'>,
): MirrorStateRecord {
  return { mirrorId, ...stateColumns(state), ...extra };
}

/** The columns a hysteresis state is stored in, the same for the local vantage's rows and every agent's. */
export function stateColumns(state: MirrorState) {
  return {
    status: state.status,
    degradedReason: state.degradedReason,
    consecutiveFailures: state.consecutiveFailures,
    consecutiveSuccesses: state.consecutiveSuccesses,
    since: state.since,
    lastFailureClass: state.lastFailureClass,
    lastProbeAt: state.lastProbeAt,
    lastIntegrityFailureAt: state.lastIntegrityFailureAt,
  };
}
