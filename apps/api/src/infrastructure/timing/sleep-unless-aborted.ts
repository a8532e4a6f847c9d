/** Waits `ms`, or less if `signal` aborts meanwhile (a shutdown must not wait out a rest or a stagger). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const sleepUnlessAborted: Sleep = (ms, signal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
