import { describe, expect, it } from 'vitest';
import { CheckStore } from './check-store.js';

describe('CheckStore', () => {
  it('forgets entries once they expire', () => {
    let now = 0;
    const store = new CheckStore<string>(1_000, 10, () => now);
    store.put('a', 'first');
    now = 999;
    expect(store.get('a')).toBe('first');
    now = 1_000;
    expect(store.get('a')).toBeNull();
  });

  it('drops the oldest entries beyond its bound', () => {
    const store = new CheckStore<number>(60_000, 3);
    for (const [index, id] of ['a', 'b', 'c', 'd', 'e'].entries()) store.put(id, index);
    expect(store.size).toBe(3);
    expect([store.get('a'), store.get('b'), store.get('c'), store.get('e')]).toEqual([null, null, 2, 4]);
  });

  it('hands out unguessable ids', () => {
    const ids = new Set(Array.from({ length: 1_000 }, () => CheckStore.newId()));
    expect(ids.size).toBe(1_000);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
