import { createHmac } from 'node:crypto';
import { eventLines, eventTitle, EVENT_EMOJI } from '../event-text.js';
import { escapeChatMarkdown } from '../chat-markdown.js';
import { errcodeZero, JSON_HEADERS, type NotificationProvider } from './outgoing-request.js';

export interface DingTalkChannel {
  type: 'dingtalk';
  name: string;
  /** The robot webhook, https://oapi.dingtalk.com/robot/send?access_token=... */
  url: string;
  /** "加签" secret (SEC...): the request then carries timestamp and sign. */
  secret?: string | undefined;
}

/**
 * DingTalk custom robot signature: base64(HMAC-SHA256(key = secret,
 * message = timestamp + "\n" + secret)), URL-encoded, with the timestamp in
 * milliseconds; the robot rejects it an hour later.
 */
export function dingTalkSign(secret: string, timestampMs: number): string {
  return encodeURIComponent(createHmac('sha256', secret).update(`${timestampMs}\n${secret}`).digest('base64'));
}

export const dingTalkProvider: NotificationProvider<DingTalkChannel> = {
  build(event, channel, now) {
    let url = channel.url;
    if (channel.secret) {
      const timestamp = now.getTime();
      url += `${url.includes('?') ? '&' : '?'}timestamp=${timestamp}&sign=${dingTalkSign(channel.secret, timestamp)}`;
    }
    const title = eventTitle(event);
    const text = [`### ${EVENT_EMOJI[event.kind]} ${title}`, '', ...eventLines(event, escapeChatMarkdown).map((line) => `- ${line}`)].join(
      '\n',
    );
    return { url, headers: JSON_HEADERS, body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text } }), accepted: errcodeZero };
  },
};
