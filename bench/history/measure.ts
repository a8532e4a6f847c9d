/** Small timing helpers for the history benchmark: every figure comes from a real request. */

export interface Timed {
  ms: number;
  status: number | null;
  bytes: number;
}

/** One GET with a deadline; a timeout or refused connection counts as status null and its elapsed time. */
export async function timedGet(url: string, timeoutMs = 30_000): Promise<Timed> {
  const started = performance.now();
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const body = await response.arrayBuffer();
    return { ms: performance.now() - started, status: response.status, bytes: body.byteLength };
  } catch {
    return { ms: performance.now() - started, status: null, bytes: 0 };
  }
}

/** Nearest-rank percentile. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? Number.NaN;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `url` back to back (one request in flight, `gapMs` apart) until
 * stopped, keeping the slowest answer and when it was asked (performance.now()
 * less `origin`, so a spike can be matched with a stall trace or a log line):
 * how long a load balancer's health check would have waited at worst. A
 * request that gets no answer counts with its full wait.
 */
export function startPoller(
  url: string,
  gapMs: number,
  origin = 0,
): { stop(): Promise<{ max: number; maxAtMs: number; count: number; failures: number }> } {
  let running = true;
  let max = 0;
  let maxAtMs = Number.NaN;
  let count = 0;
  let failures = 0;
  const loop = (async () => {
    while (running) {
      const askedAt = performance.now();
      const result = await timedGet(url, 15_000);
      count += 1;
      if (result.status !== 200) failures += 1;
      if (result.ms > max) {
        max = result.ms;
        maxAtMs = askedAt - origin;
      }
      await sleep(gapMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { max, maxAtMs, count, failures };
    },
  };
}

export const round1 = (value: number) => Math.round(value * 10) / 10;
