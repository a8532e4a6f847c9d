/**
 * Runs `work` for every item with at most `concurrency` in flight, starting
 * them staggered by `staggerMs(index)` so probes of many mirrors do not leave
 * in one burst (bursts distort timings and look like abuse to rate limiters).
 * A rejected task is reported through `onError` and never stops the others.
 */
export async function runBounded<T>(
  items: readonly T[],
  options: {
    concurrency: number;
    staggerMs: (index: number) => number;
    work: (item: T) => Promise<void>;
    onError: (item: T, error: unknown) => void;
    sleep?: (ms: number) => Promise<void>;
  },
): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index] as T;
      const delay = options.staggerMs(index);
      if (delay > 0) await sleep(delay);
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
