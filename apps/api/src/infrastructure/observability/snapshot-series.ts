import { Registry } from 'prom-client';
import { withoutPrivateSeries } from './private-series-filter.js';

/**
 * What a section's series are computed from, read at scrape time: the same
 * values (compared with Object.is) mean the same series, so the text
 * rendered for them is served again.
 */
export type SnapshotKey = () => Promise<readonly unknown[]> | readonly unknown[];

interface Rendered {
  key: readonly unknown[];
  text: Promise<string>;
  /** The text without private mirrors' samples, made on the first public scrape of this key. */
  publicText: Promise<string> | null;
}

/**
 * A group of series that only change when an in-memory snapshot does (the
 * ranking rebuilt once per probe cycle, the probe counter, agents' states),
 * rendered once per snapshot instead of once per scrape. At 100 mirrors
 * these are ~2,000 samples: prom-client rebuilt and formatted every one on
 * each scrape, 6 MB of garbage and 10-15 ms of the API thread's CPU per
 * `/metrics` (issue 10, docs/benchmarks/history-at-scale.md), on a route that
 * is public and outside the rate limit. Its own registry: the series are
 * collected only when the key moves.
 */
export class SnapshotSeries {
  readonly registry = new Registry();
  private rendered: Rendered | null = null;

  constructor(private readonly key: SnapshotKey) {}

  /** The section's exposition; `isPrivate` set: without private mirrors' samples. */
  async text(isPrivate: ((mirrorId: string) => boolean) | null, visibilityVersion: number): Promise<string> {
    const key = [visibilityVersion, ...(await this.key())];
    let rendered = this.rendered;
    if (rendered === null || !sameKey(rendered.key, key)) {
      const text = this.registry.metrics();
      rendered = { key, text, publicText: null };
      this.rendered = rendered;
      // A failed collection is not kept: the next scrape tries again.
      text.catch(() => this.rendered === rendered && (this.rendered = null));
    }
    if (isPrivate === null) return rendered.text;
    rendered.publicText ??= rendered.text.then((text) => withoutPrivateSeries(text, isPrivate));
    return rendered.publicText;
  }
}

function sameKey(a: readonly unknown[], b: readonly unknown[]): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}
