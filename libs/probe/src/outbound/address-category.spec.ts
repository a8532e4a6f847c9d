import { describe, expect, it } from 'vitest';
import { categorizeAddress, type AddressCategory } from './address-category.js';
import { parseIpAddress } from './ip-address.js';
import { scopeForConfiguredUrl } from './outbound-policy.js';

const category = (address: string): AddressCategory | null => {
  const parsed = parseIpAddress(address);
  return parsed === null ? null : categorizeAddress(parsed);
};

describe('categorizeAddress', () => {
  it.each<[string, AddressCategory]>([
    ['8.8.8.8', 'public'],
    ['47.96.1.1', 'public'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['0.0.0.0', 'unspecified'],
    ['0.1.2.3', 'unspecified'],
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.0.1', 'private'],
    ['100.64.0.1', 'shared'],
    ['100.127.255.255', 'shared'],
    ['169.254.169.254', 'link_local'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['192.0.2.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['2400:3200::1', 'public'],
    ['2001:4860:4860::8888', 'public'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['::ffff:a9fe:a9fe', 'link_local'],
    ['::ffff:8.8.8.8', 'public'],
    ['64:ff9b::a00:1', 'private'],
    ['64:ff9b::808:808', 'public'],
    ['2002:7f00:1::', 'loopback'],
    ['2002:808:808::1', 'public'],
    ['::127.0.0.1', 'reserved'],
    ['fc00::1', 'unique_local'],
    ['fd12:3456::1', 'unique_local'],
    ['fe80::1', 'link_local'],
    ['fe80::1%eth0', 'link_local'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'reserved'],
    ['2001::1', 'reserved'],
    ['100::1', 'reserved'],
  ])('%s is %s', (address, expected) => {
    expect(category(address)).toBe(expected);
  });

  it.each(['localhost', '2852039166', '0177.0.0.1', '0x7f.1', '127.1', '', '1.2.3.4.5'])('does not take %j for an address', (text) => {
    // Odd numeric forms are the URL parser's job (it turns them into dotted quads); here they are names.
    expect(parseIpAddress(text)).toBeNull();
  });
});

describe('scopeForConfiguredUrl', () => {
  it.each([
    ['http://127.0.0.1:5000', [], 'private-network'],
    ['http://localhost:5000', [], 'private-network'],
    ['https://[fd00::5]', [], 'private-network'],
    ['https://10.1.2.3', [], 'private-network'],
    ['http://0x7f000001', [], 'private-network'],
    ['https://docker.m.daocloud.io', [], 'public'],
    ['https://mirror.corp.example', [], 'public'],
    ['https://mirror.corp.example', ['mirror.corp.example'], 'private-network'],
    ['https://MIRROR.corp.example', ['mirror.CORP.example'], 'private-network'],
    ['http://169.254.169.254', [], 'public'],
    ['http://0.0.0.0', [], 'public'],
    ['not a url', [], 'public'],
  ] as const)('%s with %j is %s', (url, hosts, expected) => {
    expect(scopeForConfiguredUrl(url, hosts)).toBe(expected);
  });
});
