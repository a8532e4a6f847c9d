import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DueTimers, HAND_OVER_AFTER_MS, type DueStart } from './due-timers.js';

/** A start that records itself and whose probe ends when the test says so. */
function probe(name: string, ran: string[]): { start: DueStart; end: () => void } {
  let end = () => {};
  const ended = new Promise<void>((resolve) => (end = resolve));
  return {
    start: () => {
      ran.push(name);
      return ended;
    },
    end: () => end(),
  };
}

const ended =
  (name: string, ran: string[]): DueStart =>
  () => {
    ran.push(name);
    return Promise.resolve();
  };

describe('DueTimers', () => {
  beforeEach(() => void vi.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => void vi.useRealTimers());

  it('starts probes due at the same time on one timer, at that time', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    timers.at(1_000_300, ended('a', ran));
    vi.advanceTimersByTime(1); // the second arrives a millisecond later, for the same time
    timers.at(1_000_300, ended('b', ran));
    timers.at(1_000_500, ended('c', ran));
    expect(vi.getTimerCount()).toBe(2);
    await vi.advanceTimersByTimeAsync(298);
    expect(ran).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    // 'a' ended at once: 'b' started in the same turn, with no timer of its own left behind.
    expect(ran).toEqual(['a', 'b']);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(200);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('starts the next probe of a time when the previous one has ended, not before', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    const a = probe('a', ran);
    const b = probe('b', ran);
    timers.at(1_000_100, a.start);
    timers.at(1_000_100, b.start);
    timers.at(1_000_100, ended('c', ran));
    await vi.advanceTimersByTimeAsync(100 + HAND_OVER_AFTER_MS - 1);
    expect(ran).toEqual(['a']);
    a.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['a', 'b']);
    b.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['a', 'b', 'c']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands over after HAND_OVER_AFTER_MS to the next when a probe keeps running, and only once', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    const hung = probe('hung', ran);
    const next = probe('next', ran);
    timers.at(1_000_100, hung.start);
    timers.at(1_000_100, next.start);
    timers.at(1_000_100, ended('last', ran));
    await vi.advanceTimersByTimeAsync(100 + HAND_OVER_AFTER_MS - 1);
    expect(ran).toEqual(['hung']);
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['hung', 'next']);
    // The hung probe ending later must not start 'last' a second time, nor early.
    hung.end();
    await vi.advanceTimersByTimeAsync(HAND_OVER_AFTER_MS - 1);
    expect(ran).toEqual(['hung', 'next']);
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['hung', 'next', 'last']);
    next.end();
    await vi.advanceTimersByTimeAsync(HAND_OVER_AFTER_MS * 2);
    expect(ran).toEqual(['hung', 'next', 'last']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('hands over when a probe fails as well', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    timers.at(1_000_100, () => {
      ran.push('failing');
      return Promise.reject(new Error('refused'));
    });
    timers.at(1_000_100, ended('next', ran));
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['failing', 'next']);
  });

  it('starts a time already past at once, and cancels one probe without the others of its time', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    timers.at(999_000, ended('late', ran));
    const cancelA = timers.at(1_000_100, ended('a', ran));
    timers.at(1_000_100, ended('b', ran));
    cancelA();
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['late', 'b']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer when its last probe is cancelled, and a cancel after the start changes nothing', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    const cancel = timers.at(1_000_100, ended('a', ran));
    cancel();
    expect(vi.getTimerCount()).toBe(0);
    const cancelLater = timers.at(1_000_100, ended('b', ran));
    await vi.advanceTimersByTimeAsync(100);
    // A new group for the same time (now past): the stale cancel must neither clear nor forget it.
    timers.at(1_000_100, ended('c', ran));
    cancelLater();
    timers.at(1_000_100, ended('d', ran));
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(ran).toEqual(['b', 'c', 'd']);
  });

  it('skips a probe cancelled while it waited for its turn', async () => {
    const timers = new DueTimers();
    const ran: string[] = [];
    const a = probe('a', ran);
    timers.at(1_000_100, a.start);
    const cancelB = timers.at(1_000_100, ended('b', ran));
    timers.at(1_000_100, ended('c', ran));
    await vi.advanceTimersByTimeAsync(100);
    expect(ran).toEqual(['a']);
    cancelB();
    a.end();
    await vi.advanceTimersByTimeAsync(0);
    expect(ran).toEqual(['a', 'c']);
  });
});
