import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool, type SpoolEntry } from './spool.js';

const line = (n: number) => JSON.stringify({ id: `r${n}` });
const idsOf = (entries: readonly SpoolEntry[]) => entries.map((entry) => (JSON.parse(entry.line) as { id: string }).id);
const ids = async (spool: Spool) => idsOf(await spool.head(1_000));

describe('Spool', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'mw-spool-'));
    file = path.join(dir, 'results.spool');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps results in order across a restart and forgets only what was acknowledged', async () => {
    const spool = new Spool(file, 100);
    await spool.load();
    await spool.push([line(1), line(2), line(3)]);
    await spool.acknowledge((await spool.head(2))[1]?.seq ?? -1);
    await spool.push([line(4)]);
    const reopened = new Spool(file, 100);
    expect(await reopened.load()).toEqual({ restored: 2, tornLines: 0 });
    expect(await ids(reopened)).toEqual(['r3', 'r4']);
  });

  it('drops the oldest past its cap and counts them, across restarts', async () => {
    const spool = new Spool(file, 3);
    await spool.load();
    await spool.push([1, 2, 3, 4, 5].map(line));
    expect(await ids(spool)).toEqual(['r3', 'r4', 'r5']);
    expect(spool.dropped).toBe(2);
    const reopened = new Spool(file, 3);
    await reopened.load();
    expect(reopened.dropped).toBe(2);
    expect(await ids(reopened)).toEqual(['r3', 'r4', 'r5']);
  });

  it('skips a line cut short by a crash mid-write and rewrites the file without it', async () => {
    const spool = new Spool(file, 100);
    await spool.load();
    await spool.push([line(1)]);
    await appendFile(file, '{"id":"r2","mirr');
    const reopened = new Spool(file, 100);
    expect(await reopened.load()).toEqual({ restored: 1, tornLines: 1 });
    expect(await readFile(file, 'utf8')).toBe(`${line(1)}\n`);
  });

  it('writes concurrent pushes and acknowledgements without losing or repeating a line', async () => {
    const spool = new Spool(file, 1_000);
    await spool.load();
    const pushes = Array.from({ length: 50 }, (_, n) => spool.push([line(n)]));
    await Promise.all([...pushes, spool.acknowledge(9)]);
    const reopened = new Spool(file, 1_000);
    await reopened.load();
    expect(await ids(reopened)).toEqual(await ids(spool));
    expect(new Set(await ids(reopened)).size).toBe((await ids(reopened)).length);
  });

  it('discards one refused entry and keeps the rest in order', async () => {
    const spool = new Spool(file, 100);
    await spool.load();
    await spool.push([1, 2, 3].map(line));
    await spool.discard((await spool.head(3))[1]?.seq ?? -1);
    const reopened = new Spool(file, 100);
    await reopened.load();
    expect(await ids(reopened)).toEqual(['r1', 'r3']);
  });
});
