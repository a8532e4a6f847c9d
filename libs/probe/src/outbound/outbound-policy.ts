import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { CATEGORY_LABELS, PRIVATE_NETWORK_CATEGORIES, categorizeAddress, type AddressCategory } from './address-category.js';
import { parseIpAddress } from './ip-address.js';

/**
 * What one outbound conversation may reach.
 * - `public`: globally routable unicast addresses only. A public catalog
 *   mirror, everything it points us at (token realm, redirects), user checks,
 *   webhooks.
 * - `private-network`: also loopback, RFC 1918, CGNAT and ULA addresses. A
 *   mirror the operator placed on a private network, and what it points at.
 * Link-local (cloud metadata at 169.254.169.254), unspecified, multicast and
 * reserved addresses are refused in both: no registry or webhook lives there.
 */
export type AddressScope = 'public' | 'private-network';

export interface OutboundPolicy {
  scope: AddressScope;
  /** dns.lookup-compatible resolver; tests inject one (no external DNS). */
  lookup?: LookupFunction;
  /**
   * Tests only (everything runs on 127.0.0.1): host names whose resolved
   * addresses count as public, so a "public" mirror can live on loopback
   * while the realm or redirect it names is still judged by its address.
   */
  publicHostsForTesting?: ReadonlySet<string>;
}

/** Raised before any packet leaves for a refused address; the probe engine classifies it as `blocked_address`. */
export class OutboundAddressRefusedError extends Error {
  readonly code = 'ERR_OUTBOUND_ADDRESS_REFUSED';
  constructor(
    readonly host: string,
    readonly category: AddressCategory,
  ) {
    super(`${host} resolves to ${CATEGORY_LABELS[category]}, which the outbound address policy refuses`);
    this.name = 'OutboundAddressRefusedError';
  }
}

/** Null when `address` (an IP literal) may be connected to for `host` under `policy`. */
export function refusalFor(policy: OutboundPolicy, host: string, address: string): OutboundAddressRefusedError | null {
  const parsed = parseIpAddress(address);
  // Not an IP: nothing we can vouch for. Node only connects to addresses, so this is a bug guard.
  if (parsed === null) return new OutboundAddressRefusedError(host, 'reserved');
  const category = categorizeAddress(parsed);
  if (category === 'public') return null;
  if (policy.scope === 'private-network' && PRIVATE_NETWORK_CATEGORIES.has(category)) return null;
  if (policy.publicHostsForTesting?.has(host.toLowerCase()) && PRIVATE_NETWORK_CATEGORIES.has(category)) return null;
  return new OutboundAddressRefusedError(host, category);
}

/**
 * A `lookup` for net/tls.connect that resolves once and refuses the whole
 * name if any address it returned is refused. The socket connects to exactly
 * the addresses checked here (there is no second lookup to rebind), which is
 * what makes the check hold against DNS rebinding.
 */
export function guardedLookup(policy: OutboundPolicy): LookupFunction {
  const resolve = policy.lookup ?? (dnsLookup as LookupFunction);
  return (hostname, options, callback) => {
    resolve(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = (Array.isArray(addresses) ? addresses : [{ address: addresses, family: 4 }]) as LookupAddress[];
      if (list.length === 0) {
        return callback(Object.assign(new Error(`${hostname} has no addresses`), { code: 'ENOTFOUND' }), '', 0);
      }
      for (const entry of list) {
        const refusal = refusalFor(policy, hostname, entry.address);
        if (refusal !== null) return callback(refusal, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      const first = list[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/**
 * Resolves `url`'s host the way a connection would and throws the refusal,
 * for callers that must answer before connecting (a 400 on `/api/checks`).
 * Only a courtesy: the connect-time check in the connector is what holds.
 */
export async function assertUrlAllowed(policy: OutboundPolicy, url: URL): Promise<void> {
  const host = hostOf(url);
  if (parseIpAddress(host) !== null) {
    const refusal = refusalFor(policy, host, host);
    if (refusal !== null) throw refusal;
    return;
  }
  const lookup = guardedLookup(policy);
  await new Promise<void>((resolve, reject) => {
    lookup(host, { all: true }, (error) => (error ? reject(error) : resolve()));
  });
}

/** Host as a connection sees it: brackets stripped from IPv6 literals. */
export function hostOf(url: URL): string {
  return url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
}

/**
 * The scope a configured URL (catalog or admin mirror, reference registry,
 * webhook) earns: `private-network` when the operator wrote a private IP
 * literal or `localhost`, or listed the host in `privateNetworkHosts`;
 * `public` otherwise. Decided from the configuration, never from DNS, so
 * whoever controls a public mirror's DNS cannot promote it to the intranet.
 */
export function scopeForConfiguredUrl(url: string | URL, privateNetworkHosts: readonly string[] = []): AddressScope {
  let parsed: URL;
  try {
    parsed = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return 'public';
  }
  const host = hostOf(parsed).toLowerCase();
  if (privateNetworkHosts.some((listed) => listed.toLowerCase() === host)) return 'private-network';
  if (host === 'localhost' || host.endsWith('.localhost')) return 'private-network';
  const literal = parseIpAddress(host);
  return literal !== null && PRIVATE_NETWORK_CATEGORIES.has(categorizeAddress(literal)) ? 'private-network' : 'public';
}

/**
 * The scope of a URL that can change at run time (a webhook created through
 * the admin API): `private-network` only when the operator listed its host in
 * `privateNetworkHosts`. A private literal alone is not enough here, so an
 * admin token cannot turn the test endpoint into a scanner of the intranet.
 */
export function scopeForListedHosts(url: URL, privateNetworkHosts: readonly string[]): AddressScope {
  const host = hostOf(url).toLowerCase();
  return privateNetworkHosts.some((listed) => listed.toLowerCase() === host) ? 'private-network' : 'public';
}
