import { describe, expect, it } from 'vitest';
import { BoundedMemo } from './bounded-memo.js';

describe('BoundedMemo', () => {
  it('computes once per key and version, shares a computation in flight, recomputes for a new version', async () => {
    const memo = new BoundedMemo<number>(4);
    let calls = 0;
    const compute = async () => ++calls;
    const [a, b] = await Promise.all([memo.get('m1', 'v1', compute), memo.get('m1', 'v1', compute)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    expect(await memo.get('m2', 'v1', compute)).toBe(2);
    expect(await memo.get('m1', 'v2', compute)).toBe(3);
    expect(await memo.get('m1', 'v2', compute)).toBe(3);
  });

  it('drops the least recently used key past its capacity and forgets failures', async () => {
    const memo = new BoundedMemo<string>(2);
    await memo.get('a', 'v', async () => 'a1');
    await memo.get('b', 'v', async () => 'b1');
    await memo.get('a', 'v', async () => 'a2'); // a is now the most recent
    await memo.get('c', 'v', async () => 'c1'); // drops b
    expect(memo.size()).toBe(2);
    expect(await memo.get('a', 'v', async () => 'a3')).toBe('a1');
    expect(await memo.get('b', 'v', async () => 'b2')).toBe('b2');
    await expect(memo.get('d', 'v', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await memo.get('d', 'v', async () => 'd1')).toBe('d1');
  });
});
