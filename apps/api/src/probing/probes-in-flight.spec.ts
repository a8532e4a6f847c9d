import { describe, expect, it } from 'vitest';
import { ProbesInFlight } from './probes-in-flight.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

const never = new Promise<void>(() => undefined);

describe('ProbesInFlight', () => {
  it('holds a second probe of the same mirror until the first ends, and lets other mirrors through', async () => {
    const guard = new ProbesInFlight();
    const releaseA = await guard.claim('a', never);
    expect(releaseA).not.toBeNull();
    expect(await guard.claim('b', never)).not.toBeNull();
    let secondA: (() => void) | null = null;
    const waiting = guard.claim('a', never).then((release) => (secondA = release));
    await Promise.resolve();
    expect(secondA).toBeNull();
    releaseA?.();
    await waiting;
    expect(secondA).not.toBeNull();
  });

  it('gives up at the deadline while the previous probe still runs', async () => {
    const guard = new ProbesInFlight();
    await guard.claim('a', never);
    const deadline = deferred();
    const waiting = guard.claim('a', deadline.promise);
    deadline.resolve();
    expect(await waiting).toBeNull();
    expect(guard.size).toBe(1);
  });

  it('lets one of two waiters in when the probe ends; the other waits for that one', async () => {
    const guard = new ProbesInFlight();
    const first = await guard.claim('a', never);
    const deadline = deferred();
    const results: Array<(() => void) | null> = [];
    for (const giveUp of [never, deadline.promise]) void guard.claim('a', giveUp).then((r) => results.push(r));
    first?.();
    await new Promise((resolve) => setImmediate(resolve));
    deadline.resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(results).toHaveLength(2);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    expect(results.filter((r) => r === null)).toHaveLength(1);
  });

  it('settles once every probe in flight has ended', async () => {
    const guard = new ProbesInFlight();
    const release = await guard.claim('a', never);
    let settled = false;
    const settling = guard.settle().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    release?.();
    await settling;
    expect(guard.size).toBe(0);
  });
});
