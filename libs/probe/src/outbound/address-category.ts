import { block, embeddedIpv4, inBlock, sixToFourIpv4, type AddressBlock, type ParsedAddress } from './ip-address.js';

/**
 * Where an address points. `public` is a globally routable unicast address;
 * the others come from the IANA IPv4/IPv6 special-purpose address registries
 * (RFC 6890 and its updates).
 */
export type AddressCategory =
  'public' | 'loopback' | 'private' | 'shared' | 'unique_local' | 'link_local' | 'unspecified' | 'multicast' | 'reserved';

/** Categories an intranet deployment may legitimately reach (a registry can live there). */
export const PRIVATE_NETWORK_CATEGORIES: ReadonlySet<AddressCategory> = new Set<AddressCategory>([
  'loopback',
  'private',
  'shared',
  'unique_local',
]);

/** Human wording used in refusal messages. */
export const CATEGORY_LABELS: Readonly<Record<AddressCategory, string>> = {
  public: 'a public address',
  loopback: 'a loopback address',
  private: 'a private (RFC 1918) address',
  shared: 'a carrier-grade NAT (100.64.0.0/10) address',
  unique_local: 'a unique local IPv6 (fc00::/7) address',
  link_local: 'a link-local address (169.254.0.0/16, fe80::/10, cloud metadata)',
  unspecified: 'the unspecified address (0.0.0.0, ::)',
  multicast: 'a multicast or broadcast address',
  reserved: 'a reserved, documentation or transition address',
};

const IPV4_BLOCKS: readonly (readonly [AddressCategory, AddressBlock])[] = [
  ['unspecified', block('0.0.0.0/8')],
  ['private', block('10.0.0.0/8')],
  ['shared', block('100.64.0.0/10')],
  ['loopback', block('127.0.0.0/8')],
  ['link_local', block('169.254.0.0/16')],
  ['private', block('172.16.0.0/12')],
  ['reserved', block('192.0.0.0/24')],
  ['reserved', block('192.0.2.0/24')],
  ['reserved', block('192.88.99.0/24')],
  ['private', block('192.168.0.0/16')],
  ['reserved', block('198.18.0.0/15')],
  ['reserved', block('198.51.100.0/24')],
  ['reserved', block('203.0.113.0/24')],
  ['multicast', block('224.0.0.0/4')],
  // 240/4 includes the limited broadcast address 255.255.255.255.
  ['reserved', block('240.0.0.0/4')],
];

const IPV6_UNSPECIFIED = block('::/128');
const IPV6_LOOPBACK = block('::1/128');
const IPV4_MAPPED = block('::ffff:0:0/96');
const NAT64 = block('64:ff9b::/96');
const SIX_TO_FOUR = block('2002::/16');
const GLOBAL_UNICAST = block('2000::/3');

const IPV6_BLOCKS: readonly (readonly [AddressCategory, AddressBlock])[] = [
  ['unique_local', block('fc00::/7')],
  ['link_local', block('fe80::/10')],
  // Deprecated site-local (RFC 3879): still routed inside some old networks.
  ['unique_local', block('fec0::/10')],
  ['multicast', block('ff00::/8')],
  // Inside 2000::/3 but not globally reachable: IETF assignments (Teredo, ORCHID,
  // benchmarking) and documentation.
  ['reserved', block('2001::/23')],
  ['reserved', block('2001:db8::/32')],
  ['reserved', block('3fff::/20')],
];

/**
 * Classifies an address. IPv6 forms that carry an IPv4 address (IPv4-mapped
 * `::ffff:a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by the
 * IPv4 address they reach, so `::ffff:127.0.0.1` is loopback and a NAT64
 * address of a public host stays usable on IPv6-only networks.
 */
export function categorizeAddress(address: ParsedAddress): AddressCategory {
  if (address.family === 4) {
    return IPV4_BLOCKS.find(([, range]) => inBlock(address, range))?.[0] ?? 'public';
  }
  if (inBlock(address, IPV6_UNSPECIFIED)) return 'unspecified';
  if (inBlock(address, IPV6_LOOPBACK)) return 'loopback';
  if (inBlock(address, IPV4_MAPPED) || inBlock(address, NAT64)) return categorizeAddress(embeddedIpv4(address));
  if (inBlock(address, SIX_TO_FOUR)) return categorizeAddress(sixToFourIpv4(address));
  const special = IPV6_BLOCKS.find(([, range]) => inBlock(address, range))?.[0];
  if (special !== undefined) return special;
  // Everything outside global unicast (IPv4-compatible ::/96, discard 100::/64, ...) is not a destination.
  return inBlock(address, GLOBAL_UNICAST) ? 'public' : 'reserved';
}
