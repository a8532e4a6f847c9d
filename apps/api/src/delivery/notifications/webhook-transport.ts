import { createOutboundAgent, hostOf, parseIpAddress, refusalFor, scopeForListedHosts, type OutboundPolicy } from '@mirrorwatch/probe';

/** A chat API that has not answered in this long is treated as failed (and retried). */
const SEND_TIMEOUT_MS = 10_000;
const CONNECT_TIMEOUT_MS = 5_000;
/** Chat APIs answer a few hundred bytes of JSON; more than this is not a reply we need to read. */
export const REPLY_CAP_BYTES = 16 * 1024;

export interface WebhookReply {
  status: number;
  /** The reply as text, at most REPLY_CAP_BYTES; never decompressed. */
  text: string;
  /** True when the receiver sent more than the cap (the rest was not read). */
  truncated: boolean;
}

export interface WebhookTransport {
  post(url: string, headers: Record<string, string>, body: string): Promise<WebhookReply>;
}

/** Which addresses webhook URLs may reach; tests add a resolver and test-only public names. */
export type WebhookPolicyFor = (url: URL) => OutboundPolicy;

export function webhookPolicy(privateNetworkHosts: readonly string[]): WebhookPolicyFor {
  return (url) => ({ scope: scopeForListedHosts(url, privateNetworkHosts) });
}

/**
 * POSTs through the shared outbound policy (one undici Agent per delivery:
 * notifications are rare, and no socket outlives its message). undici's
 * `request` follows no redirect (a 30x is reported as the status it is, so a
 * POST never turns into a GET somewhere else) and never inflates a
 * compressed reply; we also ask for none.
 */
export function createWebhookTransport(policyFor: WebhookPolicyFor): WebhookTransport {
  return {
    async post(url, headers, body) {
      const target = new URL(url);
      const agent = createOutboundAgent({ policy: policyFor(target), connectTimeoutMs: CONNECT_TIMEOUT_MS });
      try {
        const response = await agent.request({
          origin: target.origin,
          path: `${target.pathname}${target.search}`,
          method: 'POST',
          headers: { ...headers, 'accept-encoding': 'identity', 'user-agent': 'mirrorwatch-notifier/0.1' },
          body,
          signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
        });
        const chunks: Buffer[] = [];
        let size = 0;
        let truncated = false;
        for await (const chunk of response.body as AsyncIterable<Buffer>) {
          const room = REPLY_CAP_BYTES - size;
          chunks.push(chunk.subarray(0, Math.max(room, 0)));
          size += chunk.length;
          if (size > REPLY_CAP_BYTES) {
            truncated = true;
            break;
          }
        }
        if (truncated) response.body.destroy();
        return { status: response.statusCode, text: Buffer.concat(chunks).toString('utf8'), truncated };
      } finally {
        await agent.destroy().catch(() => undefined);
      }
    },
  };
}

/**
 * Why a webhook URL written with an IP literal would be refused at send time,
 * or null: lets the admin API answer 400 at once instead of accepting a
 * channel that can never deliver. Names are judged when sending (their
 * addresses can change).
 */
export function literalWebhookRefusal(url: string, privateNetworkHosts: readonly string[]): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = hostOf(parsed);
  if (parseIpAddress(host) === null) return null;
  const refusal = refusalFor({ scope: scopeForListedHosts(parsed, privateNetworkHosts) }, host, host);
  if (refusal === null) return null;
  const listable = ['loopback', 'private', 'shared', 'unique_local'].includes(refusal.category);
  return listable ? `${refusal.message}; list ${host} in PRIVATE_NETWORK_HOSTS if the receiver is on your network` : refusal.message;
}
