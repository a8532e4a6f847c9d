import { describe, expect, it } from 'vitest';
import { ProbeLane } from './probe-lane.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ProbeLane', () => {
  it('skips a tick while the previous cycle runs, and counts the skip', async () => {
    const gate = deferred();
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
    );
    lane.tick(0);
    lane.tick(1000);
    lane.tick(2000);
    expect(started).toBe(1);
    expect(overlaps).toBe(2);
    gate.resolve();
    await lane.settle();
    lane.tick(3000);
    await lane.settle();
    expect(started).toBe(2);
    expect(lane.snapshot()).toMatchObject({ cyclesCompleted: 2, cyclesSkippedForOverlap: 2, running: false });
  });

  it('reports how late a cycle started against its schedule', async () => {
    const lane = new ProbeLane(
      'light',
      1000,
      async () => undefined,
      new AbortController().signal,
      () => undefined,
      () => undefined,
    );
    lane.tick(0);
    await lane.settle();
    lane.tick(1250);
    await lane.settle();
    expect(lane.snapshot().lastCycleLagMs).toBe(250);
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
