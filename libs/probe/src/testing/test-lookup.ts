import type { LookupAddress } from 'node:dns';
import { isIPv6 } from 'node:net';
import type { LookupFunction } from 'node:net';

/** An address some public host could have; never connected to (the policy must refuse first). */
export const SOME_PUBLIC_ADDRESS = '93.184.216.34';

export interface TestResolver {
  lookup: LookupFunction;
  /** How often each name was resolved. */
  calls: Map<string, number>;
}

/**
 * A dns.lookup stand-in answering from a table, so tests never ask real DNS.
 * An entry may be a function of the call count: that is how a rebinding name
 * answers a public address first and a loopback one on the next lookup.
 */
export function testResolver(table: Record<string, readonly string[] | ((call: number) => readonly string[])>): TestResolver {
  const calls = new Map<string, number>();
  const lookup = ((hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    const call = (calls.get(hostname) ?? 0) + 1;
    calls.set(hostname, call);
    const entry = table[hostname];
    const addresses = typeof entry === 'function' ? entry(call) : entry;
    setImmediate(() => {
      if (addresses === undefined || addresses.length === 0) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }));
        return;
      }
      const list: LookupAddress[] = addresses.map((address) => ({ address, family: isIPv6(address) ? 6 : 4 }));
      if (options.all) callback(null, list);
      else callback(null, list[0]?.address, list[0]?.family);
    });
  }) as unknown as LookupFunction;
  return { lookup, calls };
}
