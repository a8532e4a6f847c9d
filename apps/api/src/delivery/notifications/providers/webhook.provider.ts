import { createHmac } from 'node:crypto';
import type { MirrorEvent } from '../mirror-event.js';
import { is2xx, JSON_HEADERS, type NotificationProvider } from './outgoing-request.js';

export interface WebhookChannel {
  type: 'webhook';
  name: string;
  url: string;
  secret?: string | undefined;
}

export const SIGNATURE_HEADER = 'X-Mirrorwatch-Signature';

/** `sha256=<hex HMAC-SHA256(secret, raw body)>`, the GitHub webhook convention receivers already verify. */
export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Generic JSON webhook; with a secret, the body is signed so receivers can reject forgeries. */
export const webhookProvider: NotificationProvider<WebhookChannel> = {
  build(event, channel) {
    const body = JSON.stringify(webhookPayload(event));
    const headers: Record<string, string> = { ...JSON_HEADERS, 'X-Mirrorwatch-Event': event.test ? 'test' : event.kind };
    if (channel.secret) headers[SIGNATURE_HEADER] = webhookSignature(channel.secret, body);
    return { url: channel.url, headers, body, accepted: (status) => is2xx(status) };
  },
};

/** A test message says `"event": "test"` so receivers that act on `down` never mistake it for an outage. */
function webhookPayload(event: MirrorEvent) {
  const { mirror } = event;
  if (event.test) return { event: 'test', test: true, detail: event.detail, at: event.at.toISOString() };
  return {
    event: event.kind,
    mirror: {
      id: mirror.id,
      name: mirror.name,
      visibility: mirror.visibility,
      upstream: mirror.upstream,
      ...(mirror.visibility === 'public' ? { url: mirror.url } : {}),
    },
    status: event.status,
    failureClass: event.failureClass,
    detail: event.detail,
    at: event.at.toISOString(),
  };
}
