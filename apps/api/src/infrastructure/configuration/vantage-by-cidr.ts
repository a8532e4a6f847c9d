import { isIPv4, isIPv6, BlockList } from 'node:net';

/** One `CIDR=vantage` entry of VANTAGE_BY_CIDR. */
export interface VantageCidr {
  cidr: string;
  vantageId: string;
}

export type VantageCidrParse = { ok: true; value: VantageCidr[] } | { ok: false; reason: string };

/** Vantage ids: the admin API's slug rule. */
export const VANTAGE_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * `10.1.0.0/16=cn-mobile-gz,2001:db8::/32=cn-mobile-gz,192.0.2.0/24=cn-telecom-sh`:
 * which vantage's list a request from a known network gets when it names
 * none (MirrorZ picks the nearest mirror by source network the same way).
 * Entries are kept most specific first, so the longest prefix wins.
 */
export function parseVantageByCidr(raw: string): VantageCidrParse {
  const entries: VantageCidr[] = [];
  for (const part of raw
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '')) {
    const [cidr = '', vantageId = '', ...rest] = part.split('=').map((item) => item.trim());
    if (rest.length > 0 || vantageId === '') return { ok: false, reason: `"${part}" is not CIDR=vantage` };
    if (!VANTAGE_ID_PATTERN.test(vantageId))
      return { ok: false, reason: `"${vantageId}" is not a vantage id (lowercase letters, digits and "-")` };
    if (prefixOf(cidr) === null) return { ok: false, reason: `"${cidr}" is not a CIDR block such as 10.1.0.0/16 or 2001:db8::/32` };
    entries.push({ cidr, vantageId });
  }
  entries.sort((a, b) => (prefixOf(b.cidr) ?? 0) - (prefixOf(a.cidr) ?? 0));
  return { ok: true, value: entries };
}

function prefixOf(cidr: string): number | null {
  const [address = '', prefixText = '', ...rest] = cidr.split('/');
  if (rest.length > 0 || !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = Number(prefixText);
  if (isIPv4(address)) return prefix <= 32 ? prefix : null;
  if (isIPv6(address)) return prefix <= 128 ? prefix : null;
  return null;
}

/** Finds the vantage of a client address (IPv4-mapped IPv6 counts as IPv4); null when no entry matches. */
export class VantageByCidr {
  private readonly lists: { vantageId: string; list: BlockList }[];

  constructor(entries: readonly VantageCidr[]) {
    this.lists = entries.map(({ cidr, vantageId }) => {
      const [address = '', prefix = '0'] = cidr.split('/');
      const list = new BlockList();
      list.addSubnet(address, Number(prefix), isIPv4(address) ? 'ipv4' : 'ipv6');
      return { vantageId, list };
    });
  }

  vantageOf(address: string | undefined): string | null {
    if (!address) return null;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
    const ip = mapped ?? address;
    const family = isIPv4(ip) ? 'ipv4' : isIPv6(ip) ? 'ipv6' : null;
    if (family === null) return null;
    return this.lists.find(({ list }) => list.check(ip, family))?.vantageId ?? null;
  }
}
