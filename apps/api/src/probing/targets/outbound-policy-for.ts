import { scopeForConfiguredUrl, type OutboundPolicy } from '@mirrorwatch/probe';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';

/**
 * The outbound policy of a configured registry URL (catalog or admin mirror,
 * the reference registry): private hops only for a mirror the operator put
 * on a private network. Every probe of such a URL goes through this, so the
 * rule lives in one place (see scopeForConfiguredUrl).
 */
export function outboundPolicyFor(url: string, config: Pick<AppConfig, 'privateNetworkHosts'>): OutboundPolicy {
  return { scope: scopeForConfiguredUrl(url, config.privateNetworkHosts) };
}
