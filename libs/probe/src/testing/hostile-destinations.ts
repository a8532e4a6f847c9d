import { SOME_PUBLIC_ADDRESS } from './test-lookup.js';

/**
 * The SSRF matrix's destinations: every way a URL can lead to an address the
 * public scope refuses. `port` is a loopback server that counts requests, so a
 * form that slipped through would show up as a hit there (the non-loopback
 * ones are refused before any packet is sent, nothing listens there).
 * Shared by the probe engine's, the checks API's and the webhooks' matrices.
 */
export function hostileDestinations(port: number): readonly { name: string; url: string }[] {
  return [
    { name: 'loopback literal', url: `http://127.0.0.1:${port}` },
    { name: 'another loopback address', url: `http://127.0.0.2:${port}` },
    { name: 'localhost', url: `http://localhost:${port}` },
    { name: 'decimal IPv4 (2130706433)', url: `http://2130706433:${port}` },
    { name: 'octal IPv4 (0177.0.0.1)', url: `http://0177.0.0.1:${port}` },
    { name: 'hex IPv4 (0x7f000001)', url: `http://0x7f000001:${port}` },
    { name: 'short IPv4 (127.1)', url: `http://127.1:${port}` },
    { name: 'unspecified 0.0.0.0', url: `http://0.0.0.0:${port}` },
    { name: 'IPv6 loopback', url: `http://[::1]:${port}` },
    { name: 'IPv4-mapped IPv6 loopback', url: `http://[::ffff:127.0.0.1]:${port}` },
    { name: 'IPv4-mapped IPv6 loopback, hex', url: `http://[::ffff:7f00:1]:${port}` },
    { name: 'cloud metadata 169.254.169.254', url: 'http://169.254.169.254' },
    { name: 'cloud metadata as decimal (2852039166)', url: 'http://2852039166' },
    { name: 'IPv6 link-local', url: 'http://[fe80::1]' },
    { name: 'RFC 1918 10/8', url: 'http://10.0.0.1' },
    { name: 'RFC 1918 172.16/12', url: 'http://172.16.0.1' },
    { name: 'RFC 1918 192.168/16', url: 'http://192.168.1.1' },
    { name: 'CGNAT 100.64/10', url: 'http://100.64.0.1' },
    { name: 'ULA fc00::/7', url: 'http://[fd00::1]' },
    { name: 'multicast', url: 'http://224.0.0.1' },
    { name: 'broadcast', url: 'http://255.255.255.255' },
    { name: 'name resolving to RFC 1918', url: `http://internal.test:${port}` },
    { name: 'name resolving to cloud metadata', url: 'http://metadata.test' },
    { name: 'name resolving to IPv4-mapped loopback', url: `http://mapped.test:${port}` },
    { name: 'name with a public and a loopback address', url: `http://mixed.test:${port}` },
    { name: 'rebinding name (public on the first lookup, loopback after)', url: `http://rebind.test:${port}` },
  ];
}

/** DNS answers for the names above; `rebind.test` changes its answer after the first lookup. */
export const HOSTILE_DNS = {
  localhost: ['127.0.0.1', '::1'],
  'internal.test': ['10.0.0.5'],
  'metadata.test': ['169.254.169.254'],
  'mapped.test': ['::ffff:127.0.0.1'],
  'mixed.test': [SOME_PUBLIC_ADDRESS, '127.0.0.1'],
  'rebind.test': (call: number) => (call === 1 ? [SOME_PUBLIC_ADDRESS] : ['127.0.0.1']),
} as const;
