import { describe, expect, it } from 'vitest';
import { loadConfig } from './load-config.js';
import { parseVantageByCidr, VantageByCidr } from './vantage-by-cidr.js';

describe('VANTAGE_BY_CIDR', () => {
  const parsed = parseVantageByCidr('10.0.0.0/8=cn-mobile-gz, 10.1.0.0/16=cn-telecom-sh,2001:db8::/32=cn-unicom-bj');
  const map = new VantageByCidr(parsed.ok ? parsed.value : []);

  it.each([
    ['10.1.2.3', 'cn-telecom-sh'],
    ['10.2.0.1', 'cn-mobile-gz'],
    ['::ffff:10.1.0.9', 'cn-telecom-sh'],
    ['2001:db8:1::5', 'cn-unicom-bj'],
    ['192.0.2.1', null],
    [undefined, null],
  ])('maps %s to %s (longest prefix wins)', (address, vantage) => {
    expect(map.vantageOf(address)).toBe(vantage);
  });

  it.each(['10.0.0.0/8', '10.0.0.0/33=x', 'nonsense=x', '10.0.0.0/8=Bad Id', '10.0.0.0/8=a=b'])(
    'refuses %s at start-up, naming the variable',
    (value) => {
      expect(() => loadConfig({ VANTAGE_BY_CIDR: value })).toThrow(/VANTAGE_BY_CIDR/);
    },
  );
});
