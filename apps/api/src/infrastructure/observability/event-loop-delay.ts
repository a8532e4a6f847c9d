import { createRequire } from 'node:module';
import type { IntervalHistogram } from 'node:perf_hooks';

// prom-client reaches perf_hooks through require: the swap below must be on that same module object.
const perfHooks = createRequire(import.meta.url)('node:perf_hooks') as typeof import('node:perf_hooks');

const NS_PER_MS = 1e6;

/**
 * Runs `register` (prom-client's collectDefaultMetrics) with
 * `monitorEventLoopDelay` answering histograms whose figures are the delays
 * beyond the sampling period. Node's histogram records the time between two
 * runs of its timer, the period included, so an idle loop reads the period
 * itself: prom-client's default 10 ms made an idle API's lag p99 "13 ms", and
 * the coarser period this product samples at (EVENT_LOOP_SAMPLE_MS, fewer
 * wake-ups) would read half a second. With the period taken off, the
 * `nodejs_eventloop_lag_*` series say how late the loop was.
 */
export function withDelayBeyondPeriod<T>(register: () => T): T {
  const original = perfHooks.monitorEventLoopDelay;
  // Only what prom-client reads is there (DelayBeyondPeriod): the cast is for its declared parameter type.
  perfHooks.monitorEventLoopDelay = (options) =>
    new DelayBeyondPeriod(original(options), (options?.resolution ?? 10) * NS_PER_MS) as unknown as IntervalHistogram;
  try {
    return register();
  } finally {
    perfHooks.monitorEventLoopDelay = original;
  }
}

/**
 * A histogram as prom-client's event-loop collector reads it (enable, reset,
 * min, max, mean, stddev, percentile), each figure less the sampling period.
 */
class DelayBeyondPeriod {
  constructor(
    private readonly histogram: IntervalHistogram,
    private readonly periodNs: number,
  ) {}

  enable(): boolean {
    return this.histogram.enable();
  }

  disable(): boolean {
    return this.histogram.disable();
  }

  reset(): void {
    this.histogram.reset();
  }

  percentile(percentile: number): number {
    return this.beyond(this.histogram.percentile(percentile));
  }

  get min(): number {
    return this.beyond(this.histogram.min);
  }

  get max(): number {
    return this.beyond(this.histogram.max);
  }

  get mean(): number {
    return this.beyond(this.histogram.mean);
  }

  /** A shift leaves the spread as it is. */
  get stddev(): number {
    return this.histogram.stddev;
  }

  private beyond(ns: number): number {
    return Math.max(0, ns - this.periodNs);
  }
}
