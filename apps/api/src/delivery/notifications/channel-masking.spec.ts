import { describe, expect, it } from 'vitest';
import { maskChannelUrl, maskSecret } from './channel-masking.js';

describe('maskChannelUrl', () => {
  it.each([
    [
      'DingTalk access_token',
      'https://oapi.dingtalk.com/robot/send?access_token=0123abcd',
      'https://oapi.dingtalk.com/robot/send?access_token=***',
    ],
    [
      'WeCom key',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx',
      'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=***',
    ],
    [
      'token among harmless parameters, case-insensitively',
      'https://hooks.example/x?channel=ops&Token=abc&lang=en',
      'https://hooks.example/x?channel=ops&Token=***&lang=en',
    ],
    ['a repeated secret parameter', 'https://hooks.example/x?sig=a&sig=b', 'https://hooks.example/x?sig=***&sig=***'],
    [
      'Feishu hook id in the path',
      'https://open.feishu.cn/open-apis/bot/v2/hook/2f5c7a1e-aaaa-bbbb',
      'https://open.feishu.cn/open-apis/bot/v2/hook/***',
    ],
    ['Slack incoming webhook path', 'https://hooks.slack.com/services/T000/B000/XXXXXXXX', 'https://hooks.slack.com/services/***'],
    ['Slack workflow trigger path', 'https://hooks.slack.com/triggers/T000/123/abcdef', 'https://hooks.slack.com/triggers/***'],
    ['Discord-style webhook token', 'https://discord.example/api/webhooks/123/tok-en', 'https://discord.example/api/webhooks/123/***'],
    [
      'Telegram bot token in the path',
      'https://api.telegram.org/bot123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage?chat_id=-100123',
      'https://api.telegram.org/bot***/sendMessage?chat_id=-100123',
    ],
    [
      'Teams connector path',
      'https://contoso.webhook.office.com/webhookb2/8f1d@72f9/IncomingWebhook/ab12cd/5e6f',
      'https://contoso.webhook.office.com/webhookb2/***',
    ],
    [
      'Power Automate workflow path',
      'https://prod-01.westus.logic.azure.com:443/workflows/4c2e9f/triggers/manual/paths/invoke?api-version=2016-06-01&sig=abc',
      'https://prod-01.westus.logic.azure.com/workflows/***?api-version=2016-06-01&sig=***',
    ],
    [
      'a token-like segment elsewhere in the path',
      'https://alerts.example/hooks/9f86d081884c7d659a2feaa0c55ad015/send',
      'https://alerts.example/hooks/***/send',
    ],
    ['userinfo password', 'https://bot:hunter2@hooks.example/notify', 'https://bot:***@hooks.example/notify'],
    ['a userinfo token without password', 'https://s3cr3t@hooks.example/notify', 'https://***@hooks.example/notify'],
    ['nothing secret', 'http://127.0.0.1:8080/hook?channel=ops', 'http://127.0.0.1:8080/hook?channel=ops'],
    ['not a URL at all', 'not a url ?access_token=abc', '***'],
  ])('%s', (_case, url, masked) => {
    expect(maskChannelUrl(url)).toBe(masked);
  });

  it('never leaves the secret value anywhere in the output', () => {
    const secret = 'Zq9-very-secret';
    for (const url of [
      `https://a.example/robot/send?access_token=${secret}`,
      `https://open.feishu.cn/open-apis/bot/v2/hook/${secret}`,
      `https://u:${secret}@a.example/`,
      `https://api.telegram.org/bot42:${secret}/sendMessage`,
      `https://x.webhook.office.com/webhookb2/${secret}/IncomingWebhook/1/2`,
    ]) {
      expect(maskChannelUrl(url)).not.toContain(secret);
    }
  });
});

describe('maskSecret', () => {
  it.each([
    ['SECabc', '***'],
    [undefined, null],
    [null, null],
    ['', null],
  ])('%s -> %s', (secret, masked) => {
    expect(maskSecret(secret)).toBe(masked);
  });
});
