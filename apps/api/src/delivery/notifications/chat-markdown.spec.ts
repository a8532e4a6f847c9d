import { describe, expect, it } from 'vitest';
import { escapeChatMarkdown, oneLine } from './chat-markdown.js';
import type { MirrorEvent } from './mirror-event.js';
import { buildRequest, type ChannelConfig } from './notification-channels.js';

/** A detail a hostile mirror could put in its error reply: a link, a mention, a heading on a new line, HTML. */
const HOSTILE_DETAIL =
  'denied [click here](http://phish.example) @all\n### ✅ all mirrors recovered <font color="info">ok</font> **bold** `code` | table';

const event: MirrorEvent = {
  kind: 'down',
  mirror: { id: 'evil', name: 'Evil mirror', url: 'https://evil.example', visibility: 'public', upstream: 'docker.io' },
  status: 'down',
  failureClass: 'forbidden',
  detail: HOSTILE_DETAIL,
  at: new Date('2026-01-01T00:00:00Z'),
};

function markdownOf(channel: ChannelConfig): string {
  const body = JSON.parse(buildRequest(channel, event, new Date('2026-01-01T00:00:00Z')).body) as {
    markdown?: { text?: string; content?: string };
    card?: { elements: { text: { content: string } }[] };
  };
  return body.markdown?.text ?? body.markdown?.content ?? body.card?.elements[0]?.text.content ?? '';
}

describe('mirror detail in chat markdown', () => {
  it.each<ChannelConfig>([
    { type: 'dingtalk', name: 'd', url: 'https://oapi.dingtalk.com/robot/send?access_token=t' },
    { type: 'wecom', name: 'w', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
    { type: 'feishu', name: 'f', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x', format: 'card' },
  ])('$type shows the detail as inert text on one line', (channel) => {
    const markdown = markdownOf(channel);
    const line = markdown.split('\n').find((candidate) => candidate.includes('Detail:')) ?? '';
    // What follows the label is the mirror's text; before it sits the provider's own markup (`- `, `> `).
    const detailLine = line.slice(line.indexOf('Detail:'));
    expect(detailLine).toContain('denied');
    expect(detailLine).not.toMatch(/[[\]()<>*`|@#]/);
    expect(detailLine).not.toContain('http://');
    // Nothing of the detail leaked onto a line of its own.
    expect(markdown).not.toMatch(/^#+ ✅/m);
  });

  it('keeps plain words readable', () => {
    expect(escapeChatMarkdown('HTTP 403: not in whitelist')).toBe('HTTP 403: not in whitelist');
    expect(escapeChatMarkdown('see https://x.example/a_b')).toBe('see https:／／x.example/a＿b');
  });

  it('flattens and bounds a detail', () => {
    expect(oneLine('a\r\nb\tc\u2028d')).toBe('a b c d');
    expect(oneLine('x'.repeat(600))).toHaveLength(501);
  });
});
