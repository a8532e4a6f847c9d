import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EngineOutcome } from './engine-messages.js';
import { MAX_HOLD_MS, OutcomeCourier } from './outcome-courier.js';

function courier(): { courier: OutcomeCourier; sent: number[][] } {
  const sent: number[][] = [];
  return { courier: new OutcomeCourier((outcomes: EngineOutcome[]) => sent.push(outcomes.map((outcome) => outcome.id))), sent };
}

describe('OutcomeCourier', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('sends the outcomes of probes running together in one message, when the last ends', () => {
    const { courier: c, sent } = courier();
    c.started();
    c.started();
    c.started();
    c.deliver({ id: 1 }, true);
    vi.advanceTimersByTime(3);
    c.deliver({ id: 2 }, true);
    vi.advanceTimersByTime(3);
    expect(sent).toEqual([]);
    c.deliver({ id: 3 }, true);
    vi.runOnlyPendingTimers();
    expect(sent).toEqual([[1, 2, 3]]);
    vi.advanceTimersByTime(MAX_HOLD_MS * 2);
    expect(sent).toEqual([[1, 2, 3]]);
  });

  it('does not let a probe that keeps running hold the others longer than MAX_HOLD_MS', () => {
    const { courier: c, sent } = courier();
    c.started();
    c.started();
    c.deliver({ id: 1 }, true);
    vi.advanceTimersByTime(MAX_HOLD_MS - 1);
    expect(sent).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([[1]]);
    c.deliver({ id: 2 }, true);
    vi.runOnlyPendingTimers();
    expect(sent).toEqual([[1], [2]]);
  });

  it('sends at the end of the turn when nothing else runs, outcomes of probes that never started included', () => {
    const { courier: c, sent } = courier();
    c.deliver({ id: 7, notStarted: true }, false);
    c.deliver({ id: 8, notStarted: true }, false);
    expect(sent).toEqual([]);
    vi.runOnlyPendingTimers();
    expect(sent).toEqual([[7, 8]]);
  });

  it('holds an outcome when the next probe of a wave starts in the same turn, and sends both when that one ends', () => {
    const { courier: c, sent } = courier();
    c.started();
    c.deliver({ id: 1 }, true);
    c.started(); // due-timers.ts hands over to the next in the turn its predecessor ended
    vi.advanceTimersByTime(2);
    expect(sent).toEqual([]);
    c.deliver({ id: 2 }, true);
    vi.runOnlyPendingTimers();
    expect(sent).toEqual([[1, 2]]);
  });
});
