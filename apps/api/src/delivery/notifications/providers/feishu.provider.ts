import { createHmac } from 'node:crypto';
import { eventLines, eventTitle, EVENT_EMOJI } from '../event-text.js';
import { escapeChatMarkdown } from '../chat-markdown.js';
import { is2xx, JSON_HEADERS, type NotificationProvider } from './outgoing-request.js';

export interface FeishuChannel {
  type: 'feishu';
  name: string;
  /** https://open.feishu.cn/open-apis/bot/v2/hook/... (Lark: open.larksuite.com) */
  url: string;
  secret?: string | undefined;
  /** `text` is plainest; `card` renders a coloured header. */
  format: 'text' | 'card';
}

/**
 * Feishu/Lark custom bot signature: base64(HMAC-SHA256(key = timestamp +
 * "\n" + secret, message = empty)), timestamp in seconds, both in the body.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

export const feishuProvider: NotificationProvider<FeishuChannel> = {
  build(event, channel, now) {
    const title = `${EVENT_EMOJI[event.kind]} ${eventTitle(event)}`;
    // lark_md in cards; the text format shows characters as they are.
    const lines = eventLines(event, channel.format === 'card' ? escapeChatMarkdown : undefined);
    const message =
      channel.format === 'card'
        ? {
            msg_type: 'interactive',
            card: {
              header: {
                title: { tag: 'plain_text', content: title },
                template: event.kind === 'recovered' ? 'green' : event.kind === 'down' ? 'red' : 'orange',
              },
              elements: [{ tag: 'div', text: { tag: 'lark_md', content: lines.join('\n') } }],
            },
          }
        : { msg_type: 'text', content: { text: [title, ...lines].join('\n') } };
    const signature = channel.secret
      ? (() => {
          const timestamp = Math.floor(now.getTime() / 1000);
          return { timestamp: String(timestamp), sign: feishuSign(channel.secret, timestamp) };
        })()
      : {};
    return { url: channel.url, headers: JSON_HEADERS, body: JSON.stringify({ ...signature, ...message }), accepted: feishuAccepted };
  },
};

/** Feishu answers `{"code":0}` (older bots: `{"StatusCode":0}`). */
function feishuAccepted(status: number, text: string): boolean {
  if (!is2xx(status)) return false;
  try {
    const reply = JSON.parse(text) as { code?: unknown; StatusCode?: unknown };
    return reply.code === 0 || reply.StatusCode === 0;
  } catch {
    return false;
  }
}
