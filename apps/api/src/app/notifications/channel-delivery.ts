import type { MirrorEvent } from './mirror-event.js';
import { buildRequest, type ChannelConfig } from './notification-channels.js';

/** A chat API that has not answered in this long is treated as failed (and retried). */
const SEND_TIMEOUT_MS = 10_000;

export interface DeliveryOutcome {
  /** The receiver's HTTP status. */
  status: number;
  /** The provider's verdict: chat bots answer 200 with an error code in the body. */
  accepted: boolean;
  /** The start of the receiver's reply (chat APIs explain refusals there). */
  reply: string;
}

/**
 * One POST of `event` to `channel`, built per call: DingTalk and Feishu
 * signatures carry a timestamp that expires. Network errors reject.
 */
export async function deliverToChannel(channel: ChannelConfig, event: MirrorEvent, now = new Date()): Promise<DeliveryOutcome> {
  const request = buildRequest(channel, event, now);
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  const text = await response.text();
  return { status: response.status, accepted: request.accepted(response.status, text), reply: text.slice(0, 200) };
}

/** Error text without URLs: fetch errors can quote them, and hook URLs carry tokens. */
export function deliveryErrorReason(error: unknown): string {
  const message = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return message.replace(/https?:\/\/\S+/g, '<url>');
}
