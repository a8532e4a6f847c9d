import { undiciCore, type Agent } from '../undici-core.js';
import { createTimedConnector } from '../timed-connector.js';
import type { OutboundPolicy } from './outbound-policy.js';

/**
 * An undici Agent for outbound calls that are not probes (notification
 * webhooks): the same connector, hence the same address policy, as the probe
 * engine. undici's `request` never follows redirects and never decompresses,
 * which is what a webhook sender wants: a 30x is a failed delivery.
 */
export function createOutboundAgent(options: { policy: OutboundPolicy; connectTimeoutMs: number; maxHeaderBytes?: number }): Agent {
  const connector = createTimedConnector({ connectTimeoutMs: options.connectTimeoutMs, policy: options.policy });
  const { Agent } = undiciCore();
  return new Agent({
    connect: connector.connect,
    maxHeaderSize: options.maxHeaderBytes ?? 16 * 1024,
    // Keep no idle sockets around between rare notifications.
    keepAliveTimeout: 1_000,
    connections: 4,
  });
}
