import { describe, expect, it } from 'vitest';
import { ProbeLane } from './probe-lane.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ProbeLane', () => {
  it('starts a tick that came during the previous cycle when it ends, skips ticks beyond that, and counts both', async () => {
    const gate = deferred();
    let now = 0;
    const starts: number[] = [];
    let overlaps = 0;
    const lane = new ProbeLane(
      'light',
      1000,
      async () => {
        starts.push(now);
        if (starts.length === 1) await gate.promise;
      },
      new AbortController().signal,
      () => undefined,
      () => (overlaps += 1),
      () => now,
    );
    lane.tick(0);
    lane.tick(1000);
    lane.tick(2000);
    // The tick due at 1000 gave way to the one due at 2000: one skipped, one waiting.
    expect(starts).toEqual([0]);
    expect(overlaps).toBe(1);
    now = 2100;
    gate.resolve();
    await lane.settle();
    expect(starts).toEqual([0, 2100]);
    expect(lane.snapshot()).toMatchObject({ cyclesCompleted: 2, cyclesSkippedForOverlap: 1, cyclesStartedLate: 1, running: false });
    expect(lane.snapshot().lastCycleLagMs).toBe(100);
  });

  it('skips a waiting tick when the previous cycle ends too late for it', async () => {
    const gate = deferred();
    let now = 0;
    let started = 0;
    let overlaps = 0;
    const lane = new ProbeLane(
      'light',
      1000,
      async () => {
        started += 1;
        await gate.promise;
      },
      new AbortController().signal,
      () => undefined,
      () => (overlaps += 1),
      () => now,
    );
    lane.tick(0);
    lane.tick(1000);
    now = 1600;
    gate.resolve();
    await lane.settle();
    expect(started).toBe(1);
    expect(overlaps).toBe(1);
  });

  it('gives each cycle a deadline before its next tick and adds up what the cycles carried', async () => {
    const deadlines: number[] = [];
    const lane = new ProbeLane(
      'light',
      5000,
      async ({ deadlineAt }) => {
        deadlines.push(deadlineAt);
        return { carried: 1, heldBack: 2, notStarted: 3 };
      },
      new AbortController().signal,
      () => undefined,
      () => undefined,
      () => 0,
    );
    lane.tick(0);
    await lane.settle();
    lane.tick(5000);
    await lane.settle();
    // A tenth of the interval (at most 2 s) is kept for writing the outcomes and rebuilding the ranking.
    expect(deadlines).toEqual([4500, 9500]);
    expect(lane.snapshot()).toMatchObject({ probesCarried: 2, probesHeldBack: 4, probesNotStarted: 6 });
  });

  it('reports how late a cycle started against its schedule', async () => {
    let now = 0;
    const lane = new ProbeLane(
      'light',
      1000,
      async () => undefined,
      new AbortController().signal,
      () => undefined,
      () => undefined,
      () => now,
    );
    lane.tick(0);
    await lane.settle();
    now = 1250;
    lane.tick(1000);
    await lane.settle();
    expect(lane.snapshot().lastCycleLagMs).toBe(250);
  });

  it('hands a cycle prepared ahead of its tick the time it is due, not the time it was prepared', async () => {
    const starts: number[] = [];
    const lane = new ProbeLane(
      'light',
      10_000,
      async ({ startAt }) => void starts.push(startAt),
      new AbortController().signal,
      () => undefined,
      () => undefined,
      () => 9_500,
    );
    lane.tick(10_000);
    await lane.settle();
    expect(starts).toEqual([10_000]);
    expect(lane.snapshot().lastCycleLagMs).toBe(0);
  });

  it('does not count a tick as started late when its predecessor ended within the lead, before it was due', async () => {
    const gate = deferred();
    let now = 0;
    const starts: number[] = [];
    const lane = new ProbeLane(
      'light',
      1000,
      async ({ startAt }) => {
        starts.push(startAt);
        if (starts.length === 1) await gate.promise;
      },
      new AbortController().signal,
      () => undefined,
      () => undefined,
      () => now,
    );
    lane.tick(0);
    // The clock raises the next tick ahead of its due time, while the first cycle is still finalising…
    now = 950;
    lane.tick(1000);
    // …which ends before that due time: the next cycle starts on time.
    now = 980;
    gate.resolve();
    await lane.settle();
    expect(starts).toEqual([0, 1000]);
    expect(lane.snapshot()).toMatchObject({ cyclesStartedLate: 0, cyclesSkippedForOverlap: 0, lastCycleLagMs: 0 });
  });

  it('counts ticks the clock missed as skipped, without calling them overlaps', () => {
    let overlaps = 0;
    const lane = new ProbeLane(
      'light',
      1000,
      async () => undefined,
      new AbortController().signal,
      () => undefined,
      () => (overlaps += 1),
    );
    lane.missed(3);
    expect(lane.snapshot().cyclesSkippedForOverlap).toBe(3);
    expect(overlaps).toBe(0);
  });

  it('keeps going after a failed cycle', async () => {
    const errors: unknown[] = [];
    let calls = 0;
    const lane = new ProbeLane(
      'deep',
      1000,
      async () => {
        calls += 1;
        if (calls === 1) throw new Error('database locked');
      },
      new AbortController().signal,
      (error) => errors.push(error),
      () => undefined,
    );
    lane.tick(0);
    await lane.settle();
    lane.tick(1000);
    await lane.settle();
    expect(calls).toBe(2);
    expect(errors).toHaveLength(1);
  });
});
