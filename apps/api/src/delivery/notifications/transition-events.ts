import { upstreamOf, type MirrorDefinition, type ProbeResult } from '@mirrorwatch/domain';
import type { MirrorState } from '@mirrorwatch/scoring';
import type { MirrorEvent } from './mirror-event.js';

/**
 * The events one recorded probe causes, from the states before and after it
 * (hysteresis already applied, so a single blip raises nothing):
 * down / recovered on entering or leaving `down`, stale on becoming degraded
 * for staleness, and an integrity failure on every digest mismatch (the
 * deduplicator keeps repeats quiet).
 */
export function transitionEvents(
  mirror: MirrorDefinition,
  previous: MirrorState | null,
  next: MirrorState,
  result: ProbeResult,
): MirrorEvent[] {
  const base = {
    mirror: { id: mirror.id, name: mirror.name, url: mirror.url, visibility: mirror.visibility, upstream: upstreamOf(mirror) },
    status: next.status,
    at: result.startedAt,
  };
  const events: MirrorEvent[] = [];
  const wasDown = previous?.status === 'down';
  if (!wasDown && next.status === 'down') {
    events.push({ ...base, kind: 'down', failureClass: next.lastFailureClass ?? result.failureClass, detail: result.detail });
  } else if (wasDown && next.status !== 'down') {
    events.push({ ...base, kind: 'recovered', failureClass: null, detail: null });
  }
  if (next.degradedReason === 'stale' && previous?.degradedReason !== 'stale') {
    events.push({
      ...base,
      kind: 'stale',
      failureClass: 'stale',
      detail: 'serves an older digest than the reference past the grace period',
    });
  }
  if (result.failureClass === 'integrity') {
    events.push({ ...base, kind: 'integrity_failure', failureClass: 'integrity', detail: result.detail });
  }
  return events;
}
