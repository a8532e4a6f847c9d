import { describe, expect, it } from 'vitest';
import { TokenBucketStorage } from './token-bucket-storage.js';

const MINUTE = 60_000;

describe('TokenBucketStorage', () => {
  it('allows a burst of one window of tokens, then refuses with the time until the next token', () => {
    let now = 0;
    const storage = new TokenBucketStorage(() => now);
    for (let i = 0; i < 60; i++) expect(storage.take('a', MINUTE, 60).isBlocked).toBe(false);
    expect(storage.take('a', MINUTE, 60)).toMatchObject({ isBlocked: true, timeToBlockExpire: 1 });
    now += 1000;
    expect(storage.take('a', MINUTE, 60).isBlocked).toBe(false);
    expect(storage.take('a', MINUTE, 60).isBlocked).toBe(true);
  });

  it('keeps keys apart', () => {
    const storage = new TokenBucketStorage(() => 0);
    expect(storage.take('a', MINUTE, 1).isBlocked).toBe(false);
    expect(storage.take('a', MINUTE, 1).isBlocked).toBe(true);
    expect(storage.take('b', MINUTE, 1).isBlocked).toBe(false);
  });

  it('never holds more than its capacity after a long idle time', () => {
    let now = 0;
    const storage = new TokenBucketStorage(() => now);
    storage.take('a', MINUTE, 2);
    now += 3_600_000;
    storage.take('a', MINUTE, 2);
    storage.take('a', MINUTE, 2);
    expect(storage.take('a', MINUTE, 2).isBlocked).toBe(true);
  });

  it('reports a longer wait at low rates', () => {
    const storage = new TokenBucketStorage(() => 0);
    storage.take('a', MINUTE, 2);
    storage.take('a', MINUTE, 2);
    expect(storage.take('a', MINUTE, 2).timeToBlockExpire).toBe(30);
  });

  it('lets 1,000 requests within 10 s through at the default export limit (a fleet behind one NAT)', () => {
    let now = 0;
    const storage = new TokenBucketStorage(() => now);
    const blocked = Array.from({ length: 1000 }, (_, i) => {
      now = i * 10;
      return storage.take('nat', MINUTE, 12_000).isBlocked;
    }).filter(Boolean);
    expect(blocked).toHaveLength(0);
  });
});
