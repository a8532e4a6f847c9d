import { describe, expect, it } from 'vitest';
import { parseRetryAfter, RETRY_AFTER_MAX_SECONDS } from './retry-after.js';

const now = new Date('2026-01-01T00:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', 120],
    [' 0 ', 0],
    ['Thu, 01 Jan 2026 00:01:30 GMT', 90],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0],
    ['-5', null],
    ['1.5', null],
    ['soon', null],
    ['', null],
    [null, null],
    // Huge values stay finite and storable (a 32-bit column, a valid Date).
    ['9'.repeat(400), RETRY_AFTER_MAX_SECONDS],
    ['99999999999', RETRY_AFTER_MAX_SECONDS],
    ['Fri, 31 Dec 9999 23:59:59 GMT', RETRY_AFTER_MAX_SECONDS],
  ])('%s -> %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});
