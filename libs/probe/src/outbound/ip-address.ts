import { isIPv4, isIPv6 } from 'node:net';

/** An IP address as a 32- or 128-bit integer, so ranges compare with plain arithmetic. */
export interface ParsedAddress {
  family: 4 | 6;
  value: bigint;
}

/**
 * Parses an IP literal in canonical dotted-quad or IPv6 text (brackets and a
 * zone id such as `%eth0` are tolerated). Returns null for anything else:
 * host names, and the odd IPv4 forms (`2852039166`, `0177.0.0.1`, `0x7f.1`)
 * that only the WHATWG URL parser or inet_aton accept; callers go through
 * `new URL()` first, which turns those into dotted quads.
 */
export function parseIpAddress(text: string): ParsedAddress | null {
  let host = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = host.indexOf('%');
  if (zone !== -1) host = host.slice(0, zone);
  if (isIPv4(host)) return { family: 4, value: ipv4Value(host) };
  if (isIPv6(host)) return { family: 6, value: ipv6Value(host) };
  return null;
}

function ipv4Value(text: string): bigint {
  return text.split('.').reduce((sum, octet) => (sum << 8n) | BigInt(Number(octet)), 0n);
}

function ipv6Value(text: string): bigint {
  let groups = text;
  // A trailing dotted quad (`::ffff:127.0.0.1`) stands for the last two groups.
  const lastColon = groups.lastIndexOf(':');
  const tail = groups.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = ipv4Value(tail);
    groups = `${groups.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head = '', rest] = groups.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const restGroups = rest === undefined || rest === '' ? [] : rest.split(':');
  const missing = 8 - headGroups.length - restGroups.length;
  const all = [...headGroups, ...Array<string>(rest === undefined ? 0 : missing).fill('0'), ...restGroups];
  return all.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** A CIDR block of one family. */
export interface AddressBlock {
  family: 4 | 6;
  base: bigint;
  prefix: number;
}

export function block(cidr: string): AddressBlock {
  const [address = '', prefixText = ''] = cidr.split('/');
  const parsed = parseIpAddress(address);
  if (parsed === null) throw new Error(`not an address block: ${cidr}`);
  return { family: parsed.family, base: parsed.value, prefix: Number(prefixText) };
}

export function inBlock(address: ParsedAddress, range: AddressBlock): boolean {
  if (address.family !== range.family) return false;
  const bits = BigInt(address.family === 4 ? 32 : 128);
  const shift = bits - BigInt(range.prefix);
  return address.value >> shift === range.base >> shift;
}

/** The IPv4 address carried in the low 32 bits of an IPv6 one (mapped, NAT64 forms). */
export function embeddedIpv4(address: ParsedAddress): ParsedAddress {
  return { family: 4, value: address.value & 0xffff_ffffn };
}

/** The IPv4 address a 6to4 address (2002:AABB:CCDD::/48) routes to. */
export function sixToFourIpv4(address: ParsedAddress): ParsedAddress {
  return { family: 4, value: (address.value >> 80n) & 0xffff_ffffn };
}
