import { describe, expect, it } from 'vitest';
import type { MirrorState } from '@mirrorwatch/scoring';
import { failedProbe, lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { incidentChange, MAX_RETRY_AFTER_SECONDS, retryNotBefore } from '@mirrorwatch/scoring';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const INTERVAL = 60;

describe('retryNotBefore', () => {
  it.each([
    ['no Retry-After: one interval', null, INTERVAL],
    ['a short Retry-After is honoured', 30, 30],
    ['a day is capped at the maximum', 86_400, MAX_RETRY_AFTER_SECONDS],
    ['a year is capped at the maximum', 365 * 86_400, MAX_RETRY_AFTER_SECONDS],
    ['Infinity (from an older parser) is capped', Number.POSITIVE_INFINITY, MAX_RETRY_AFTER_SECONDS],
    ['NaN falls back to one interval', Number.NaN, INTERVAL],
    ['a negative value falls back to one interval', -5, INTERVAL],
  ])('%s', (_label, retryAfterSeconds, expectedWait) => {
    const result = failedProbe(T0, 'rate_limited', { retryAfterSeconds, durationMs: 100 });
    const at = retryNotBefore(result, INTERVAL);
    expect(at).toBe(T0.getTime() + 100 + expectedWait * 1000);
    expect(Number.isNaN(new Date(at as number).getTime())).toBe(false);
  });

  it('is null for anything but a 429', () => {
    expect(retryNotBefore(lightProbe(T0), INTERVAL)).toBeNull();
    expect(retryNotBefore(failedProbe(T0, 'server_error'), INTERVAL)).toBeNull();
  });
});

describe('incidentChange', () => {
  const state = (status: MirrorState['status']): MirrorState =>
    ({
      status,
      degradedReason: null,
      consecutiveFailures: 0,
      consecutiveSuccesses: 0,
      since: T0,
      lastFailureClass: null,
      lastProbeAt: T0,
      lastIntegrityFailureAt: null,
    }) as MirrorState;

  it.each([
    [null, 'down', 'open'],
    ['up', 'down', 'open'],
    ['degraded', 'down', 'open'],
    ['down', 'up', 'close'],
    ['down', 'degraded', 'close'],
    ['down', 'down', null],
    ['up', 'up', null],
    [null, 'up', null],
  ] as const)('%s -> %s: %s', (previous, next, expected) => {
    const change = incidentChange('m', previous === null ? null : state(previous), state(next), T0, 'dns', 'detail');
    expect(change?.kind ?? null).toBe(expected);
    if (change?.kind === 'open') expect(change.incident).toEqual({ mirrorId: 'm', startedAt: T0, failureClass: 'dns', detail: 'detail' });
  });
});
