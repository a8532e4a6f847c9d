import { describe, expect, it } from 'vitest';
import { FAILURE_CLASSES } from '@mirrorwatch/domain';
import { decodeFailureCounts, encodeFailureCounts, FailureCountsFormatError, type FailureCounts } from './rollup-failure-counts.js';

describe('failure counts column encoding', () => {
  it.each<[FailureCounts, string]>([
    [{}, ''],
    [{ dns: 3 }, 'dns:3'],
    // FAILURE_CLASSES order, whatever the object's key order: equal counts give equal strings.
    [{ server_error: 1, dns: 2 }, 'dns:2,server_error:1'],
    [{ timeout: 0, dns: 1 }, 'dns:1'],
  ])('%j <-> %j', (counts, text) => {
    expect(encodeFailureCounts(counts)).toBe(text);
    expect(decodeFailureCounts(text)).toEqual(Object.fromEntries(Object.entries(counts).filter(([, count]) => count > 0)));
  });

  it('round-trips every class', () => {
    const all = Object.fromEntries(FAILURE_CLASSES.map((failureClass, index) => [failureClass, index + 1])) as FailureCounts;
    expect(decodeFailureCounts(encodeFailureCounts(all))).toEqual(all);
  });

  it('reads a class the domain no longer knows as internal, adding to it', () => {
    expect(decodeFailureCounts('internal:1,retired_class:2')).toEqual({ internal: 3 });
  });

  it.each(['dns', 'dns:', 'dns:0', 'dns:-1', 'dns:1.5', 'dns:1,', ',dns:1', 'dns:1,,tls:2', 'DNS:1', 'dns: 1'])(
    'rejects malformed %j',
    (text) => {
      expect(() => decodeFailureCounts(text)).toThrow(FailureCountsFormatError);
    },
  );

  it.each([-1, 1.5, Number.NaN])('refuses to encode the count %d', (count) => {
    expect(() => encodeFailureCounts({ dns: count })).toThrow(FailureCountsFormatError);
  });
});
