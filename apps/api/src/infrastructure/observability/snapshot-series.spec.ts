import { Gauge } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { SnapshotSeries, type SnapshotKey } from './snapshot-series.js';

/** A section with one per-mirror gauge whose collector counts its runs and reads `snapshot`. */
function section(snapshot: { mirrors: string[] }, key: SnapshotKey = () => [snapshot.mirrors]) {
  const series = new SnapshotSeries(key);
  const state = { collected: 0, failNext: false };
  new Gauge({
    name: 'up_by_mirror',
    help: 'test',
    labelNames: ['mirror'],
    registers: [series.registry],
    collect() {
      state.collected += 1;
      if (state.failNext) {
        state.failNext = false;
        throw new Error('collection failed');
      }
      this.reset();
      for (const mirror of snapshot.mirrors) this.set({ mirror }, 1);
    },
  });
  return { series, state };
}

describe('SnapshotSeries', () => {
  it('collects once per key and serves the same text until the key moves', async () => {
    const snapshot = { mirrors: ['a', 'b'] };
    const { series, state } = section(snapshot);
    const first = await series.text(null, 0);
    expect(await series.text(null, 0)).toBe(first);
    expect(state.collected).toBe(1);
    expect(first).toContain('up_by_mirror{mirror="b"} 1');

    snapshot.mirrors = ['a', 'c'];
    const next = await series.text(null, 0);
    expect(state.collected).toBe(2);
    expect(next).toContain('up_by_mirror{mirror="c"} 1');
    expect(next).not.toContain('mirror="b"');
  });

  it("leaves private mirrors' samples out of the public text, and filters anew when visibility moves", async () => {
    const { series, state } = section({ mirrors: ['a', 'private-1f'] });
    const privateIds = new Set(['private-1f']);
    const isPrivate = (id: string) => privateIds.has(id);
    const full = await series.text(null, 0);
    const shown = await series.text(isPrivate, 0);
    expect(full).toContain('mirror="private-1f"');
    expect(shown).not.toContain('mirror="private-1f"');
    expect(shown).toContain('up_by_mirror{mirror="a"} 1');
    expect(shown).toContain('# TYPE up_by_mirror gauge');

    privateIds.add('a');
    // Same snapshot, new visibility version: nothing of "a" either.
    expect(await series.text(isPrivate, 1)).not.toContain('mirror="a"');
    expect(state.collected).toBe(2);
  });

  it('does not keep a failed collection: the next scrape collects again', async () => {
    const { series, state } = section({ mirrors: ['a'] });
    state.failNext = true;
    await expect(series.text(null, 0)).rejects.toThrow('collection failed');
    expect(await series.text(null, 0)).toContain('up_by_mirror{mirror="a"} 1');
    expect(state.collected).toBe(2);
  });

  it('awaits an asynchronous key', async () => {
    const snapshot = { mirrors: ['a'] };
    const { series, state } = section(snapshot, async () => [snapshot.mirrors]);
    await series.text(null, 0);
    await series.text(null, 0);
    expect(state.collected).toBe(1);
  });
});
