import { describe, expect, it } from 'vitest';
import { schedulerLockKey } from './scheduler-lock-key.js';

const INT64_MAX = 2n ** 63n - 1n;

describe('schedulerLockKey', () => {
  it('is the same number in every process for the same vantage', () => {
    expect(schedulerLockKey('local')).toBe(schedulerLockKey('local'));
  });

  it.each(['local', 'cn-telecom', 'cn-unicom', 'aws-vpc'])('fits a positive signed bigint for %s', (vantage) => {
    const key = schedulerLockKey(vantage);
    expect(key).toBeGreaterThanOrEqual(0n);
    expect(key).toBeLessThanOrEqual(INT64_MAX);
  });

  it('differs between vantages, so each vantage elects its own scheduler', () => {
    const keys = new Set(['local', 'cn-telecom', 'cn-unicom', 'cn-mobile'].map(schedulerLockKey));
    expect(keys.size).toBe(4);
  });
});
