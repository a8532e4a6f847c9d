import { eventLines, eventTitle } from '../event-text.js';
import { escapeChatMarkdown } from '../chat-markdown.js';
import { errcodeZero, JSON_HEADERS, type NotificationProvider } from './outgoing-request.js';

export interface WeComChannel {
  type: 'wecom';
  name: string;
  /** https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=... (the key authenticates; no signature scheme). */
  url: string;
}

const COLOURS = { down: 'warning', recovered: 'info', stale: 'comment', integrity_failure: 'warning' } as const;

/** WeCom group robot, markdown message (its `<font color>` subset). */
export const weComProvider: NotificationProvider<WeComChannel> = {
  build(event, channel) {
    const content = [
      `**<font color="${COLOURS[event.kind]}">${eventTitle(event)}</font>**`,
      ...eventLines(event, escapeChatMarkdown).map((line) => `> ${line}`),
    ].join('\n');
    return {
      url: channel.url,
      headers: JSON_HEADERS,
      body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
      accepted: errcodeZero,
    };
  },
};
