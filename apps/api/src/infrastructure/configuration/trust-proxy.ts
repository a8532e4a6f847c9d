import { isIP } from 'node:net';

/**
 * What Express's `trust proxy` gets: which peers may set X-Forwarded-For, so
 * `req.ip` is the real client behind a reverse proxy. A hop count trusts that
 * many proxies in front of the app; an address list trusts only those
 * addresses (or CIDR ranges, or proxy-addr's names `loopback`, `linklocal`,
 * `uniquelocal`). `false` trusts nobody: the socket address is the client.
 */
export type TrustProxySetting = false | number | string[];

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses TRUST_PROXY; returns the reason on a bad value. */
export function parseTrustProxy(raw: string): { ok: true; value: TrustProxySetting } | { ok: false; reason: string } {
  const value = raw.trim().toLowerCase();
  if (['false', 'no', 'none', 'off'].includes(value)) return { ok: true, value: false };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    if (hops > 16) return { ok: false, reason: 'a hop count must be from 0 to 16' };
    return { ok: true, value: hops === 0 ? false : hops };
  }
  const entries = value.split(',').map((entry) => entry.trim());
  for (const entry of entries) {
    const reason = invalidEntry(entry);
    if (reason !== null) return { ok: false, reason };
  }
  return { ok: true, value: entries };
}

function invalidEntry(entry: string): string | null {
  if (entry === '') return 'an empty entry in the list';
  if (NAMED_RANGES.has(entry)) return null;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) {
    return `"${entry}" is not an IP address, a CIDR range, loopback, linklocal, uniquelocal, a hop count or false`;
  }
  if (prefix === undefined) return null;
  const max = family === 4 ? 32 : 128;
  if (!/^\d+$/.test(prefix) || Number(prefix) > max) return `"${entry}": the prefix length must be from 0 to ${max}`;
  return null;
}
