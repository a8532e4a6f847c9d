import type { MirrorEvent } from './mirror-event.js';
import { buildRequest, type ChannelConfig } from './notification-channels.js';
import type { WebhookReply, WebhookTransport } from './webhook-transport.js';

export interface DeliveryOutcome {
  /** The receiver's HTTP status. */
  status: number;
  /** The provider's verdict: chat bots answer 200 with an error code in the body. */
  accepted: boolean;
  /** A short status summary fit to show an admin: never the reply body itself. */
  summary: string;
}

/**
 * One POST of `event` to `channel`, built per call: DingTalk and Feishu
 * signatures carry a timestamp that expires. Network errors (and addresses
 * the outbound policy refuses) reject.
 */
export async function deliverToChannel(
  channel: ChannelConfig,
  event: MirrorEvent,
  transport: WebhookTransport,
  now = new Date(),
): Promise<DeliveryOutcome> {
  const request = buildRequest(channel, event, now);
  const reply = await transport.post(request.url, request.headers, request.body);
  const accepted = !reply.truncated && request.accepted(reply.status, reply.text);
  return { status: reply.status, accepted, summary: summarizeReply(reply, accepted) };
}

/**
 * What the receiver said, as status plus at most the numeric error code chat
 * APIs put in their JSON (`errcode`, `code`, `StatusCode`). The body itself is
 * never echoed: a hook URL could point at something whose reply is not ours
 * to show.
 */
export function summarizeReply(reply: WebhookReply, accepted: boolean): string {
  const parts = [`HTTP ${reply.status}`];
  if (reply.status >= 300 && reply.status < 400) parts.push('redirects are not followed');
  if (reply.truncated) parts.push('reply larger than the size cap');
  const code = numericErrorCode(reply.text);
  if (code !== null) parts.push(`error code ${code}`);
  parts.push(accepted ? 'accepted' : 'not accepted');
  return parts.join(', ');
}

function numericErrorCode(text: string): number | null {
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    for (const key of ['errcode', 'code', 'StatusCode']) {
      const value = parsed[key];
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
    }
  } catch {
    // Not JSON: nothing to report beyond the status.
  }
  return null;
}

/** Error text without URLs: fetch errors can quote them, and hook URLs carry tokens. */
export function deliveryErrorReason(error: unknown): string {
  const message =
    error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return message.replace(/https?:\/\/\S+/g, '<url>').slice(0, 300);
}
