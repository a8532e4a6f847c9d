import { describe, expect, it } from 'vitest';
import { KeyedMemo } from './keyed-memo.js';

describe('KeyedMemo', () => {
  it('computes once per key, shares the computation in flight, and recomputes for a new key', async () => {
    const memo = new KeyedMemo<number>();
    let calls = 0;
    const compute = async () => ++calls;
    const [a, b] = await Promise.all([memo.get('g1', compute), memo.get('g1', compute)]);
    expect([a, b, calls]).toEqual([1, 1, 1]);
    expect(await memo.get('g2', compute)).toBe(2);
    expect(await memo.get('g2', compute)).toBe(2);
  });

  it('forgets a failed computation', async () => {
    const memo = new KeyedMemo<number>();
    await expect(memo.get('g1', () => Promise.reject(new Error('database gone')))).rejects.toThrow('database gone');
    expect(await memo.get('g1', async () => 7)).toBe(7);
  });
});
