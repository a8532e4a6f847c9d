import { describe, expect, it } from 'vitest';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import type { ChannelConfig } from '../notifications/notification-channels.js';
import { parseChannelCreation, parseChannelPatch } from './admin-notification-channel-input.js';

function fieldOf(action: () => unknown): string | undefined {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidParameterException) return (error.getResponse() as { field: string }).field;
    throw error;
  }
  return undefined;
}

const DING: ChannelConfig = {
  type: 'dingtalk',
  name: 'ops',
  url: 'https://oapi.dingtalk.com/robot/send?access_token=tok123',
  secret: 'SECabc',
  events: ['down'],
};

describe('parseChannelCreation', () => {
  it.each([
    [
      'webhook with secret and events',
      { type: 'webhook', name: 'pager', url: 'https://example.com/hook', secret: 's', events: ['down', 'recovered'] },
    ],
    ['feishu defaults to card', { type: 'feishu', name: 'lark', url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x' }],
    ['wecom', { type: 'wecom', name: 'wx', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' }],
  ])('accepts %s', (_case, body) => {
    const channel = parseChannelCreation(body);
    expect(channel).toMatchObject(body);
    if (channel.type === 'feishu') expect(channel.format).toBe('card');
  });

  it.each([
    ['not an object', [], 'body'],
    ['null', null, 'body'],
    ['missing type', { name: 'x', url: 'https://a.example' }, 'type'],
    ['unknown type', { type: 'teams', name: 'x', url: 'https://a.example' }, 'type'],
    ['missing name', { type: 'webhook', url: 'https://a.example' }, 'name'],
    ['empty name', { type: 'webhook', name: '  ', url: 'https://a.example' }, 'name'],
    ['ftp URL', { type: 'webhook', name: 'x', url: 'ftp://a.example' }, 'url'],
    ['unknown event', { type: 'webhook', name: 'x', url: 'https://a.example', events: ['exploded'] }, 'events.0'],
    ['empty event list', { type: 'webhook', name: 'x', url: 'https://a.example', events: [] }, 'events'],
    ['secret on slack', { type: 'slack', name: 'x', url: 'https://hooks.slack.com/services/a', secret: 's' }, 'secret'],
    ['format on webhook', { type: 'webhook', name: 'x', url: 'https://a.example', format: 'card' }, 'format'],
    ['bad feishu format', { type: 'feishu', name: 'x', url: 'https://a.example', format: 'html' }, 'format'],
    ['a field no channel has', { type: 'webhook', name: 'x', url: 'https://a.example', colour: 'red' }, 'colour'],
  ])('rejects %s with a 400 naming %s', (_case, body, field) => {
    expect(fieldOf(() => parseChannelCreation(body))).toBe(field);
  });
});

describe('parseChannelPatch', () => {
  it.each([
    ['renames, keeping the rest', { name: 'ops2' }, { ...DING, name: 'ops2' }],
    ['clears the secret and the event filter with null', { secret: null, events: null }, { type: 'dingtalk', name: 'ops', url: DING.url }],
    [
      'keeps URL and secret sent back masked',
      { url: 'https://oapi.dingtalk.com/robot/send?access_token=***', secret: '***', events: ['down', 'stale'] },
      { ...DING, events: ['down', 'stale'] },
    ],
    [
      'replaces URL and secret given in full',
      { url: 'https://oapi.dingtalk.com/robot/send?access_token=new', secret: 'SECnew' },
      { ...DING, url: 'https://oapi.dingtalk.com/robot/send?access_token=new', secret: 'SECnew' },
    ],
    [
      'changing the type drops the old service secret',
      { type: 'wecom', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k' },
      { type: 'wecom', name: 'ops', url: 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k', events: ['down'] },
    ],
    [
      'changing to feishu applies its default format',
      { type: 'feishu' },
      { type: 'feishu', name: 'ops', url: DING.url, events: ['down'], format: 'card' },
    ],
  ])('%s', (_case, patch, expected) => {
    expect(parseChannelPatch(patch, DING)).toEqual(expected);
  });

  it.each([
    ['an empty body', {}, 'body'],
    ['a null name', { name: null }, 'name'],
    ['a bad URL', { url: 'nope' }, 'url'],
    ['a format for dingtalk', { format: 'card' }, 'format'],
    ['an unknown field', { id: 'x' }, 'id'],
  ])('rejects %s with a 400 naming %s', (_case, patch, field) => {
    expect(fieldOf(() => parseChannelPatch(patch, DING))).toBe(field);
  });
});
