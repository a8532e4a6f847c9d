import { describe, expect, it } from 'vitest';
import { parseTrustProxy } from './trust-proxy.js';

describe('parseTrustProxy', () => {
  it.each([
    ['false', false],
    ['none', false],
    ['0', false],
    ['1', 1],
    ['2', 2],
    ['loopback', ['loopback']],
    ['10.0.0.0/8, 192.168.1.7', ['10.0.0.0/8', '192.168.1.7']],
    ['loopback,fd00::/8,::1', ['loopback', 'fd00::/8', '::1']],
  ])('%j -> %j', (raw, value) => {
    expect(parseTrustProxy(raw)).toEqual({ ok: true, value });
  });

  it.each([
    ['17', /hop count/],
    ['yes please', /not an IP address/],
    ['10.0.0.0/33', /prefix length must be from 0 to 32/],
    ['::/129', /from 0 to 128/],
    ['10.0.0.0/8/1', /not an IP address/],
    ['10.0.0.0/x', /prefix length/],
    ['10.0.0.1,', /empty entry/],
    ['*', /not an IP address/],
  ])('%j is refused: %s', (raw, reason) => {
    const result = parseTrustProxy(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
