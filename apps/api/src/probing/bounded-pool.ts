import { sleepUnlessAborted } from '#infrastructure/timing/sleep-unless-aborted.js';

/**
 * Runs `work` for every item with at most `concurrency` in flight, starting
 * them staggered by `staggerMs(index)` so probes of many mirrors do not leave
 * in one burst (bursts distort timings and look like abuse to rate limiters).
 * A rejected task is reported through `onError` and never stops the others.
 * Once `signal` is aborted no further item starts and the waits between
 * starts end at once, so a stopping process does not sit out the rest of a
 * cycle's stagger (up to half an interval).
 */
export async function runBounded<T>(
  items: readonly T[],
  options: {
    concurrency: number;
    staggerMs: (index: number) => number;
    work: (item: T) => Promise<void>;
    onError: (item: T, error: unknown) => void;
    signal?: AbortSignal;
    sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  },
): Promise<void> {
  const { signal } = options;
  const sleep = options.sleep ?? sleepUnlessAborted;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const index = next++;
      const item = items[index] as T;
      const delay = options.staggerMs(index);
      if (delay > 0) await sleep(delay, signal);
      if (signal?.aborted) return;
      try {
        await options.work(item);
      } catch (error) {
        options.onError(item, error);
      }
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(options.concurrency, items.length)) }, worker);
  await Promise.all(workers);
}
