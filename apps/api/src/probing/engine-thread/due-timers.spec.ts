import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DueTimers } from './due-timers.js';

describe('DueTimers', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  it('runs callbacks due at the same time on one timer, at that time', () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    timers.at(1_000_300, () => ran.push('a'));
    vi.advanceTimersByTime(1); // the second arrives a millisecond later, for the same time
    timers.at(1_000_300, () => ran.push('b'));
    timers.at(1_000_500, () => ran.push('c'));
    expect(vi.getTimerCount()).toBe(2);
    vi.advanceTimersByTime(298);
    expect(ran).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(ran).toEqual(['a']);
    vi.advanceTimersToNextTimer(); // the next turn of the loop, at the same time
    expect(ran).toEqual(['a', 'b']);
    vi.advanceTimersByTime(200);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('runs a time already past at once, and cancels one callback without the others of its time', () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    timers.at(999_000, () => ran.push('late'));
    const cancelA = timers.at(1_000_100, () => ran.push('a'));
    timers.at(1_000_100, () => ran.push('b'));
    cancelA();
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['late', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer when its last callback is cancelled, and a cancel after the run changes nothing', () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    const cancel = timers.at(1_000_100, () => ran.push('a'));
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    const cancelLater = timers.at(1_000_100, () => ran.push('b'));
    vi.advanceTimersByTime(100);
    // A new group for the same time (now past): the stale cancel must neither clear nor forget it.
    timers.at(1_000_100, () => ran.push('c'));
    cancelLater();
    timers.at(1_000_100, () => ran.push('d'));
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(1);
    vi.advanceTimersToNextTimer();
    expect(ran).toEqual(['b', 'c', 'd']);
  });

  it('runs the callbacks of one time one per event-loop turn, so work queued by the first runs before the second starts', () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    timers.at(1_000_100, () => {
      ran.push('a');
      setImmediate(() => ran.push('after a'));
    });
    let cancelC = () => {};
    timers.at(1_000_100, () => {
      ran.push('b');
      // Cancelled after the group's timer fired, before its turn: it must not run.
      cancelC();
    });
    cancelC = timers.at(1_000_100, () => ran.push('c'));
    timers.at(1_000_100, () => ran.push('d'));
    vi.advanceTimersByTime(100);
    expect(ran).toEqual(['a']);
    vi.runAllTimers();
    expect(ran).toEqual(['a', 'after a', 'b', 'd']);
  });
});
