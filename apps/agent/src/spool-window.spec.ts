import { mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool, type SpoolEntry } from './spool.js';

/** The spool keeps only a window in memory; these replay queues far larger than it. */
const line = (n: number) => JSON.stringify({ id: `r${n}`, padding: 'x'.repeat(200) });
const idsOf = (entries: readonly SpoolEntry[]) => entries.map((entry) => (JSON.parse(entry.line) as { id: string }).id);
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

async function fill(spool: Spool, count: number, first = 1): Promise<void> {
  for (let n = first; n < first + count; n += 100) await spool.push(range(n, Math.min(first + count - 1, n + 99)).map(line));
}

/** Ships like the agent: a batch from the head, acknowledged once "stored"; returns the ids in the order shipped. */
async function replay(
  spool: Spool,
  batch: number,
  maxBatches = Number.POSITIVE_INFINITY,
): Promise<{ shipped: string[]; peakInMemory: number }> {
  const shipped: string[] = [];
  let peakInMemory = spool.inMemory;
  for (let n = 0; n < maxBatches && spool.size > 0; n++) {
    const entries = await spool.head(batch);
    peakInMemory = Math.max(peakInMemory, spool.inMemory);
    shipped.push(...idsOf(entries));
    await spool.acknowledge(entries[entries.length - 1]?.seq ?? -1);
  }
  return { shipped, peakInMemory };
}

describe('Spool window', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mw-spool-window-'));
    file = path.join(dir, 'results.spool');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('replays a 10,000-entry spool in order while holding at most its window in memory', async () => {
    const writer = new Spool(file, 10_000, 40);
    await writer.load();
    await fill(writer, 10_000);
    expect(writer.inMemory).toBeLessThanOrEqual(40);
    const sizeBefore = (await stat(file)).size;

    const spool = new Spool(file, 10_000, 40);
    expect(await spool.load()).toEqual({ restored: 10_000, tornLines: 0 });
    expect(spool.inMemory).toBe(0);
    const { shipped, peakInMemory } = await replay(spool, 25);
    expect(shipped).toEqual(range(1, 10_000).map((n) => `r${n}`));
    expect(peakInMemory).toBeLessThanOrEqual(40);
    // The acknowledged prefix was cut off the file along the way, not left to grow.
    expect((await stat(file)).size).toBeLessThan(sizeBefore);
    const reopened = new Spool(file, 10_000, 40);
    expect(await reopened.load()).toEqual({ restored: 0, tornLines: 0 });
  });

  it('drops the oldest at the cap while a batch is out, and acknowledging the dropped batch removes nothing else', async () => {
    const spool = new Spool(file, 100, 8);
    await spool.load();
    await fill(spool, 100);
    const out = await spool.head(5);
    // 10 more: r1..r10 go, among them the 5 in flight and 5 beyond the window.
    await fill(spool, 10, 101);
    expect(spool.dropped).toBe(10);
    await spool.acknowledge(out[out.length - 1]?.seq ?? -1);
    expect(spool.size).toBe(100);
    expect(idsOf(await spool.head(3))).toEqual(['r11', 'r12', 'r13']);

    // A batch partly dropped: acknowledging it removes the part that is left.
    const second = await spool.head(5);
    await spool.push([line(111), line(112)]);
    await spool.acknowledge(second[second.length - 1]?.seq ?? -1);
    expect(idsOf(await spool.head(1))).toEqual(['r16']);

    const reopened = new Spool(file, 100, 8);
    await reopened.load();
    expect(reopened.dropped).toBe(12);
    const { shipped } = await replay(reopened, 7);
    expect(shipped).toEqual(range(16, 112).map((n) => `r${n}`));
  });

  it('restores the rest of a queue half replayed, with a torn last line, after a crash', async () => {
    const spool = new Spool(file, 10_000, 16);
    await spool.load();
    await fill(spool, 3_000);
    const { shipped } = await replay(spool, 50, 20);
    expect(shipped.at(-1)).toBe('r1000');
    // A crash mid-append: half a line at the end, never acknowledged.
    await writeFile(file, '{"id":"r3001","pad', { flag: 'a' });

    const restarted = new Spool(file, 10_000, 16);
    expect(await restarted.load()).toEqual({ restored: 2_000, tornLines: 1 });
    await restarted.push([line(3_002)]);
    const rest = await replay(restarted, 50);
    expect(rest.shipped).toEqual([...range(1_001, 3_000), 3_002].map((n) => `r${n}`));
    expect(await new Spool(file, 10_000, 16).load()).toEqual({ restored: 0, tornLines: 0 });
  });

  it('starts at the beginning of a rewritten file when the crash came between the rename and the side file', async () => {
    const spool = new Spool(file, 10_000, 16);
    await spool.load();
    await fill(spool, 500);
    await replay(spool, 50, 2);
    const meta = JSON.parse(await readFile(`${file}.meta.json`, 'utf8')) as { head: number };
    expect(meta.head).toBeGreaterThan(0);
    // What the rewrite does before it updates the side file: the queue from head, renamed over the spool.
    const rest = (await readFile(file)).subarray(meta.head);
    await writeFile(`${file}.tmp`, rest);
    await rename(`${file}.tmp`, file);

    const restarted = new Spool(file, 10_000, 16);
    expect(await restarted.load()).toEqual({ restored: 400, tornLines: 0 });
    expect(idsOf(await restarted.head(1))).toEqual(['r101']);
  });
});
