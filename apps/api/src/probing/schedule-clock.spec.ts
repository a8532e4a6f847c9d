import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ScheduleClock, scheduleLeadMs } from './schedule-clock.js';

/**
 * Fake timers fire on time; a busy event loop, which runs a timer's callback
 * late, is played by a clock that reads `late` ms ahead of the fake one.
 */
describe('ScheduleClock', () => {
  let late = 0;
  const now = () => Date.now() + late;
  beforeEach(() => {
    late = 0;
    vi.useFakeTimers({ now: 0 });
  });
  afterEach(() => vi.useRealTimers());

  it('ticks on the grid, a lead ahead of each due time, and a late tick does not shift the next', () => {
    const ticks: Array<{ dueAt: number; at: number }> = [];
    const clock = new ScheduleClock(
      1000,
      100,
      (dueAt) => ticks.push({ dueAt, at: now() }),
      () => undefined,
      now,
    );
    clock.start(0);
    vi.advanceTimersByTime(900);
    expect(ticks).toEqual([{ dueAt: 1000, at: 900 }]);
    // The event loop is busy for 150 ms when the next tick's time comes: it runs late…
    late = 150;
    vi.advanceTimersByTime(1000);
    expect(ticks[1]).toEqual({ dueAt: 2000, at: 2050 });
    // …and the one after keeps its place on the grid (setInterval would re-arm from 2050).
    vi.advanceTimersByTime(850);
    expect(ticks[2]).toEqual({ dueAt: 3000, at: 2900 });
    clock.stop();
  });

  it('raises only the latest grid point after a loop blocked past several, and reports the others as missed', () => {
    const ticks: number[] = [];
    const missed: number[] = [];
    const clock = new ScheduleClock(
      1000,
      0,
      (dueAt) => ticks.push(dueAt),
      (count) => missed.push(count),
      now,
    );
    clock.start(0);
    late = 2400;
    vi.advanceTimersByTime(1000);
    expect(ticks).toEqual([3000]);
    expect(missed).toEqual([2]);
    vi.advanceTimersByTime(600);
    expect(ticks).toEqual([3000, 4000]);
    clock.stop();
  });

  it('starts a new grid when the wall clock was stepped back by more than an interval, rather than wait it out', () => {
    const ticks: Array<{ dueAt: number; at: number }> = [];
    const missed: number[] = [];
    const clock = new ScheduleClock(
      1000,
      100,
      (dueAt) => ticks.push({ dueAt, at: now() }),
      (count) => missed.push(count),
      now,
    );
    clock.start(0);
    // The timer comes at its time; the wall clock now reads 5 s earlier than it did.
    late = -5000;
    vi.advanceTimersByTime(900);
    expect(ticks).toEqual([{ dueAt: -4000, at: -4100 }]);
    vi.advanceTimersByTime(1000);
    expect(ticks[1]).toEqual({ dueAt: -3000, at: -3100 });
    expect(missed).toEqual([]);
    clock.stop();
  });

  it('keeps its grid when the wall clock was stepped back by less than an interval: that tick is due later', () => {
    const ticks: Array<{ dueAt: number; at: number }> = [];
    const clock = new ScheduleClock(
      1000,
      100,
      (dueAt) => ticks.push({ dueAt, at: now() }),
      () => undefined,
      now,
    );
    clock.start(0);
    late = -300;
    vi.advanceTimersByTime(900);
    expect(ticks).toEqual([{ dueAt: 1000, at: 600 }]);
    vi.advanceTimersByTime(1300);
    expect(ticks[1]).toEqual({ dueAt: 2000, at: 1900 });
    clock.stop();
  });

  it('stops ticking when stopped', () => {
    const ticks: number[] = [];
    const clock = new ScheduleClock(
      1000,
      0,
      (dueAt) => ticks.push(dueAt),
      () => undefined,
      now,
    );
    clock.start(0);
    clock.stop();
    vi.advanceTimersByTime(5000);
    expect(ticks).toEqual([]);
  });

  it('leads by a twentieth of the interval, at most half a second', () => {
    expect(scheduleLeadMs(5_000)).toBe(250);
    expect(scheduleLeadMs(60_000)).toBe(500);
  });
});
