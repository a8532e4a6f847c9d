import { describe, expect, it } from 'vitest';
import { sleepUnlessAborted, type Sleep } from '#infrastructure/timing/sleep-unless-aborted.js';
import { DutyCycle } from './duty-cycle.js';

/** A clock that advances `stepMs` at every reading, and a sleep that only records what it was asked. */
function fakes(stepMs: number) {
  let clock = 0;
  const rests: number[] = [];
  const now = () => (clock += stepMs);
  const sleep: Sleep = async (ms) => {
    rests.push(ms);
  };
  return { now, sleep, rests };
}

describe('DutyCycle', () => {
  it.each([
    [50, 40, 40],
    [25, 40, 120],
    [80, 40, 10],
    [100, 40, 0],
    [50, -5, 0],
  ])('at %d %% busy, a slice of %d ms is followed by a rest of %d ms', (percent, busyMs, restMs) => {
    expect(new DutyCycle(percent).restAfter(busyMs)).toBe(restMs);
  });

  it('rests after a slice for as long as its share asks, measured on its clock, and hands back the result', async () => {
    const { now, sleep, rests } = fakes(30);
    const pace = new DutyCycle(25, sleep, now);
    expect(await pace.slice(async () => 'written')).toBe('written');
    expect(await pace.slice(async () => 'again')).toBe('again');
    expect(rests).toEqual([90, 90]);
  });

  it('does not rest at 100 %, nor once the signal has aborted (shutdown)', async () => {
    const full = fakes(30);
    await new DutyCycle(100, full.sleep, full.now).slice(async () => undefined);
    expect(full.rests).toEqual([]);

    const stopping = fakes(30);
    const abort = new AbortController();
    await new DutyCycle(50, stopping.sleep, stopping.now).slice(async () => abort.abort(), abort.signal);
    expect(stopping.rests).toEqual([]);
  });

  it.each([0, -1, 101, Number.NaN])('refuses a busy share of %d %%', (percent) => {
    expect(() => new DutyCycle(percent)).toThrow(RangeError);
  });
});

describe('sleepUnlessAborted', () => {
  it('ends a rest when the signal aborts, and does not start one on an aborted signal', async () => {
    const abort = new AbortController();
    // An hour: the test ends only because the abort cuts it short.
    const resting = sleepUnlessAborted(3_600_000, abort.signal);
    abort.abort();
    await expect(resting).resolves.toBeUndefined();
    await expect(sleepUnlessAborted(3_600_000, abort.signal)).resolves.toBeUndefined();
  });
});
