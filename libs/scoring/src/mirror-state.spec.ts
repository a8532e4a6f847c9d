import type { FailureClass, MirrorStatus } from '@mirrorwatch/domain';
import { describe, expect, it } from 'vitest';
import { nextMirrorState, type MirrorState, type ProbeOutcome } from './mirror-state.js';
import { DEFAULT_STATUS_POLICY } from './policy.js';

const T0 = Date.parse('2026-01-10T00:00:00Z');
const MINUTE = 60_000;

/** `ok`, `ok:3000` (ok with a recent p50), or a failure class. */
type Step = 'ok' | `ok:${number}` | FailureClass | 'failed-without-class';

function toProbe(step: Step, index: number): ProbeOutcome {
  const at = new Date(T0 + index * MINUTE);
  if (step === 'ok') return { at, ok: true, failureClass: null, recentManifestP50Ms: 300 };
  if (step.startsWith('ok:')) return { at, ok: true, failureClass: null, recentManifestP50Ms: Number(step.slice(3)) };
  if (step === 'failed-without-class') return { at, ok: false, failureClass: null };
  return { at, ok: false, failureClass: step as FailureClass };
}

function run(steps: Step[], policy = DEFAULT_STATUS_POLICY): MirrorState[] {
  const states: MirrorState[] = [];
  steps.reduce<MirrorState | null>((prev, step, index) => {
    const next = nextMirrorState(prev, toProbe(step, index), policy);
    states.push(next);
    return next;
  }, null);
  return states;
}

describe('nextMirrorState: status sequences (defaults: 2 failures to down, 2 successes to up)', () => {
  it.each<[string, Step[], MirrorStatus[]]>([
    ['first success is up at once', ['ok'], ['up']],
    ['first definitive failure (dns) is down at once', ['dns'], ['down']],
    ['first definitive failure (connect_refused)', ['connect_refused'], ['down']],
    ['first definitive failure (tls)', ['tls'], ['down']],
    ['first definitive failure (forbidden)', ['forbidden'], ['down']],
    ['first transient failure stays unknown, second is down', ['timeout', 'timeout'], ['unknown', 'down']],
    ['first transient failure then success is up', ['server_error', 'ok'], ['unknown', 'up']],
    ['one blip does not take an up mirror down', ['ok', 'timeout', 'ok'], ['up', 'up', 'up']],
    ['two failures in a row do', ['ok', 'timeout', 'connection_reset'], ['up', 'up', 'down']],
    ['a definitive class on an up mirror still needs two', ['ok', 'dns', 'ok'], ['up', 'up', 'up']],
    ['down needs two successes to come back', ['dns', 'ok', 'ok'], ['down', 'down', 'up']],
    ['a failure between successes restarts recovery', ['dns', 'ok', 'timeout', 'ok', 'ok'], ['down', 'down', 'down', 'down', 'up']],
    ['integrity is down at once', ['ok', 'integrity'], ['up', 'down']],
    ['slow manifest p50 is degraded', ['ok:3000'], ['degraded']],
    ['slow then fast again is up', ['ok:3000', 'ok:400'], ['degraded', 'up']],
    ['allowlisted is degraded', ['ok', 'allowlisted'], ['up', 'degraded']],
    ['stale is degraded', ['stale'], ['degraded']],
    ['rate_limited on a working mirror is degraded', ['ok', 'rate_limited', 'ok'], ['up', 'degraded', 'up']],
    ['rate_limited on a new mirror is a transient failure', ['rate_limited', 'rate_limited'], ['unknown', 'down']],
    ['rate_limited does not bring a down mirror back', ['dns', 'rate_limited', 'rate_limited'], ['down', 'down', 'down']],
    ['internal (our bug) changes nothing', ['ok', 'internal', 'internal', 'internal'], ['up', 'up', 'up', 'up']],
    ['a failure without a class counts as a failure', ['ok', 'failed-without-class', 'failed-without-class'], ['up', 'up', 'down']],
    ['degraded mirror going down', ['allowlisted', 'timeout', 'timeout'], ['degraded', 'degraded', 'down']],
  ])('%s', (_label, steps, expected) => {
    expect(run(steps).map((s) => s.status)).toEqual(expected);
  });
});

describe('nextMirrorState: policy knobs', () => {
  it.each<[string, Partial<typeof DEFAULT_STATUS_POLICY>, Step[], MirrorStatus[]]>([
    ['failuresToDown 3', { failuresToDown: 3 }, ['ok', 'timeout', 'timeout', 'timeout'], ['up', 'up', 'up', 'down']],
    ['failuresToDown 1', { failuresToDown: 1 }, ['ok', 'timeout'], ['up', 'down']],
    ['successesToUp 1', { successesToUp: 1 }, ['dns', 'ok'], ['down', 'up']],
    ['successesToUp 3', { successesToUp: 3 }, ['dns', 'ok', 'ok', 'ok'], ['down', 'down', 'down', 'up']],
    ['slow threshold 5000', { slowManifestP50Ms: 5000 }, ['ok:3000', 'ok:6000'], ['up', 'degraded']],
  ])('%s', (_label, override, steps, expected) => {
    expect(run(steps, { ...DEFAULT_STATUS_POLICY, ...override }).map((s) => s.status)).toEqual(expected);
  });
});

describe('nextMirrorState: bookkeeping', () => {
  it('moves `since` only when the status changes', () => {
    const states = run(['ok', 'ok', 'timeout', 'timeout', 'timeout']);
    expect(states.map((s) => (s.since.getTime() - T0) / MINUTE)).toEqual([0, 0, 0, 3, 3]);
  });

  it('counts consecutive failures and successes', () => {
    const states = run(['ok', 'ok', 'timeout', 'dns', 'ok']);
    expect(states.map((s) => [s.consecutiveSuccesses, s.consecutiveFailures])).toEqual([
      [1, 0],
      [2, 0],
      [0, 1],
      [0, 2],
      [1, 0],
    ]);
  });

  it('remembers the last failure class after recovery and when integrity failed', () => {
    const states = run(['ok', 'integrity', 'ok', 'ok']);
    const last = states[states.length - 1];
    expect(last?.status).toBe('up');
    expect(last?.lastFailureClass).toBe('integrity');
    expect(last?.lastIntegrityFailureAt).toEqual(new Date(T0 + MINUTE));
    expect(last?.lastProbeAt).toEqual(new Date(T0 + 3 * MINUTE));
  });

  it('sets a degraded reason only while degraded', () => {
    const states = run(['ok:3000', 'allowlisted', 'ok', 'rate_limited', 'dns', 'dns']);
    expect(states.map((s) => [s.status, s.degradedReason])).toEqual([
      ['degraded', 'slow'],
      ['degraded', 'allowlisted'],
      ['up', null],
      ['degraded', 'rate_limited'],
      ['degraded', 'rate_limited'],
      ['down', null],
    ]);
  });

  it('does not mutate the previous state', () => {
    const [first] = run(['ok']);
    const copy = structuredClone(first);
    nextMirrorState(first ?? null, toProbe('dns', 1));
    expect(first).toEqual(copy);
  });
});
