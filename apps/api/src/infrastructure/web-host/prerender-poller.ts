import type { PageCache } from './page-cache.js';

/**
 * Asks the page cache to pre-render every `pollMs` while some page is wanted
 * at the next data generation, and not at all while none is: nobody has
 * looked at the dashboard since its pages' last render, so there is nothing
 * to pre-render. An always-on timer woke the API thread four times a second
 * for nothing; on a 2-core VM each wake-up costs ~0.2 ms of CPU (issue 10,
 * docs/benchmarks/probe-cpu.md).
 */
export class PrerenderPoller {
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly pollMs: number) {}

  /** Starts polling `cache` unless it already is (or was stopped); it ends by itself once nothing is wanted. */
  pollWhileWanted(cache: Pick<PageCache, 'hasWanted' | 'prerender'>): void {
    if (this.timer !== null || this.stopped) return;
    this.timer = setInterval(() => {
      if (!cache.hasWanted()) {
        this.clear();
        return;
      }
      void cache.prerender().catch(() => undefined);
    }, this.pollMs);
    this.timer.unref();
  }

  /** For good (shutdown): later wishes start nothing. */
  stop(): void {
    this.stopped = true;
    this.clear();
  }

  private clear(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }
}
