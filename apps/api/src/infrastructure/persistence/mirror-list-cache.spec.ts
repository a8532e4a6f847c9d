import type { MirrorDefinition } from '@mirrorwatch/domain';
import { describe, expect, it } from 'vitest';
import { MirrorListCache } from './mirror-list-cache.js';
import { testMirror } from './testing/mirror-definition.fixture.js';

/** A read whose answer the test hands over when it chooses, to place a write in the middle of it. */
function pendingRead(): { read: () => Promise<MirrorDefinition[]>; answer: (mirrors: MirrorDefinition[]) => void; calls: () => number } {
  let calls = 0;
  let answer: (mirrors: MirrorDefinition[]) => void = () => undefined;
  return {
    read: () => {
      calls += 1;
      return new Promise((resolve) => (answer = resolve));
    },
    answer: (mirrors) => answer(mirrors),
    calls: () => calls,
  };
}

/** The next `enabled` asks the database again (exactly once) and serves what it answers. */
async function expectReadAgain(cache: MirrorListCache, id: string): Promise<void> {
  const read = pendingRead();
  const listed = cache.enabled(read.read);
  expect(read.calls()).toBe(1);
  read.answer([testMirror(id)]);
  expect((await listed).map((m) => m.id)).toEqual([id]);
}

describe('MirrorListCache', () => {
  it('keeps a list read while no write ran, and reads again after one', async () => {
    const cache = new MirrorListCache(null);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return [testMirror(`m${reads}`)];
    };
    expect((await cache.enabled(read)).map((m) => m.id)).toEqual(['m1']);
    expect((await cache.enabled(read)).map((m) => m.id)).toEqual(['m1']);
    expect(reads).toBe(1);
    await cache.writing(async () => undefined);
    expect((await cache.enabled(read)).map((m) => m.id)).toEqual(['m2']);
    expect(reads).toBe(2);
  });

  it('does not keep a list whose read a write overlapped, whether the write started before it or during it', async () => {
    const cache = new MirrorListCache(null);
    const during = pendingRead();
    const listed = cache.enabled(during.read);
    await cache.writing(async () => undefined);
    during.answer([testMirror('before-the-write')]);
    await listed;
    await expectReadAgain(cache, 'after-the-write');

    let finish: () => void = () => undefined;
    const write = cache.writing(() => new Promise<void>((resolve) => (finish = resolve)));
    const whileWriting = pendingRead();
    const read = cache.enabled(whileWriting.read);
    whileWriting.answer([testMirror('mid-write')]);
    await read;
    finish();
    await write;
    await expectReadAgain(cache, 'settled');
  });

  it('reads again when the version token of other processes changes, and not otherwise', async () => {
    let version = 'v1';
    const cache = new MirrorListCache(async () => version);
    let reads = 0;
    const read = async () => [testMirror(`m${++reads}`)];
    await cache.enabled(read);
    await cache.enabled(read);
    expect(reads).toBe(1);
    version = 'v2';
    expect((await cache.enabled(read)).map((m) => m.id)).toEqual(['m2']);
    expect(reads).toBe(2);
  });

  it('hands out copies: a caller editing its definitions does not change what the next caller gets', async () => {
    const cache = new MirrorListCache(null);
    const read = async () => [testMirror('a')];
    for (const mirror of await cache.enabled(read)) mirror.name = 'edited by the first caller';
    for (const mirror of await cache.enabled(read)) mirror.name = 'edited by the second caller';
    expect((await cache.enabled(read))[0]?.name).toBe(testMirror('a').name);
  });

  it('drops the kept list when told of a write that bypassed the repositories', async () => {
    const cache = new MirrorListCache(null);
    let reads = 0;
    const read = async () => [testMirror(`m${++reads}`)];
    await cache.enabled(read);
    cache.forget();
    await cache.enabled(read);
    expect(reads).toBe(2);
  });
});
