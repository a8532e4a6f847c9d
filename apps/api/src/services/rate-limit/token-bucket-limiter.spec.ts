import { describe, expect, it } from 'vitest';
import { TokenBucketLimiter } from './token-bucket-limiter.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst of one minute of tokens, then refuses with the time until the next token', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(60, () => now);
    for (let i = 0; i < 60; i++) expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a')).toEqual({ allowed: false, retryAfterSeconds: 1, remaining: 0 });
    now += 1000;
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
  });

  it('keeps clients apart', () => {
    const limiter = new TokenBucketLimiter(1, () => 0);
    expect(limiter.take('a').allowed).toBe(true);
    expect(limiter.take('a').allowed).toBe(false);
    expect(limiter.take('b').allowed).toBe(true);
  });

  it('never holds more than its capacity after a long idle time', () => {
    let now = 0;
    const limiter = new TokenBucketLimiter(2, () => now);
    limiter.take('a');
    now += 3_600_000;
    expect(limiter.take('a').remaining).toBe(1);
  });

  it('reports a longer wait at low rates', () => {
    const limiter = new TokenBucketLimiter(2, () => 0);
    limiter.take('a');
    limiter.take('a');
    expect(limiter.take('a').retryAfterSeconds).toBe(30);
  });
});
