import { describe, expect, it } from 'vitest';
import { emptyTimings, type FailureClass, type MirrorDefinition, type ProbeResult } from '@mirrorwatch/domain';
import type { MirrorState } from '@mirrorwatch/scoring';
import { eventLines } from './event-text.js';
import { transitionEvents } from './transition-events.js';

const mirror: MirrorDefinition = {
  id: 'm',
  name: 'M',
  url: 'https://m.example',
  provider: null,
  notes: null,
  visibility: 'public',
  caPath: null,
};
const at = new Date('2026-01-01T00:00:00Z');

function state(
  status: MirrorState['status'],
  degradedReason: MirrorState['degradedReason'] = null,
  lastFailureClass: FailureClass | null = null,
): MirrorState {
  return {
    status,
    degradedReason,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    since: at,
    lastFailureClass,
    lastProbeAt: at,
    lastIntegrityFailureAt: null,
  };
}

function probe(failureClass: FailureClass | null): ProbeResult {
  return {
    kind: 'light',
    startedAt: at,
    durationMs: 1,
    ok: failureClass === null,
    failureClass,
    failedPhase: null,
    detail: failureClass ? `failed: ${failureClass}` : null,
    httpStatus: null,
    timings: emptyTimings(),
    manifest: null,
    blob: null,
    retryAfterSeconds: null,
  };
}

describe('transitionEvents', () => {
  it.each([
    ['first probe fails but hysteresis keeps it unknown', null, state('unknown'), probe('timeout'), []],
    ['up -> down', state('up'), state('down', null, 'timeout'), probe('timeout'), ['down']],
    ['down stays down', state('down'), state('down'), probe('timeout'), []],
    ['down -> up', state('down'), state('up'), probe(null), ['recovered']],
    ['down -> degraded (stale)', state('down'), state('degraded', 'stale'), probe(null), ['recovered', 'stale']],
    ['up -> degraded (stale)', state('up'), state('degraded', 'stale'), probe(null), ['stale']],
    ['stale stays stale', state('degraded', 'stale'), state('degraded', 'stale'), probe(null), []],
    ['integrity failure', state('up'), state('up'), probe('integrity'), ['integrity_failure']],
  ] as const)('%s', (_name, previous, next, result, kinds) => {
    expect(transitionEvents(mirror, previous, next, result).map((e) => e.kind)).toEqual(kinds);
  });

  it('takes the standing failure class for down', () => {
    const [event] = transitionEvents(mirror, state('up'), state('down', null, 'connect_refused'), probe('connect_refused'));
    expect(event).toMatchObject({ kind: 'down', failureClass: 'connect_refused', status: 'down', at });
  });

  it('names the registry a mirror stands in for: a line for other registries, none for Docker Hub', () => {
    const k8s = { ...mirror, upstream: 'registry.k8s.io', pathPrefix: 'registry.k8s.io' };
    const [event] = transitionEvents(k8s, state('up'), state('down', null, 'timeout'), probe('timeout'));
    expect(event?.mirror.upstream).toBe('registry.k8s.io');
    expect(eventLines(event!)).toContain('Registry: registry.k8s.io');
    const [hub] = transitionEvents(mirror, state('up'), state('down', null, 'timeout'), probe('timeout'));
    expect(hub?.mirror.upstream).toBe('docker.io');
    expect(eventLines(hub!).some((line) => line.startsWith('Registry:'))).toBe(false);
  });
});
