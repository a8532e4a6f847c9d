import { describe, expect, it } from 'vitest';
import { rateLimitKey } from './client-key.js';

describe('rateLimitKey', () => {
  it.each([
    ['203.0.113.7', '203.0.113.7'],
    ['::ffff:203.0.113.7', '203.0.113.7'],
    ['::FFFF:203.0.113.7', '203.0.113.7'],
    ['2001:db8:1:2:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['2001:0db8:0001:0002:0000:0000:0000:0001', '2001:db8:1:2::/64'],
    ['2001:db8::1', '2001:db8:0:0::/64'],
    ['::1', '0:0:0:0::/64'],
    ['fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['64:ff9b::192.0.2.33', '64:ff9b:0:0::/64'],
    [undefined, 'unknown'],
  ])('%s -> %s', (address, key) => {
    expect(rateLimitKey(address)).toBe(key);
  });

  it('puts every address of one /64 in one bucket and neighbouring /64s in others', () => {
    const inside = Array.from({ length: 50 }, (_, i) => `2001:db8:aa:bb:${i.toString(16)}:1:2:3`).map(rateLimitKey);
    expect(new Set(inside).size).toBe(1);
    expect(rateLimitKey('2001:db8:aa:bc::1')).not.toBe(inside[0]);
  });
});
