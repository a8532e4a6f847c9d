import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import type { MirrorEvent } from './mirror-event.js';
import { NotificationService } from './notification.service.js';
import type {
  NotificationChannelRecord,
  NotificationChannelRepository,
} from '#infrastructure/persistence/notification-channel.repository.js';

/** Real HTTP receivers on 127.0.0.1 standing in for the chat services, checking signatures as those services do. */
interface Hit {
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

const hits: Hit[] = [];
/** Replies per path; a path with a list answers with its items in turn, then the last one. */
const replies = new Map<string, { status: number; body: string }[]>();
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      hits.push({ path: url.pathname, query: url.searchParams, headers: req.headers, body });
      const queue = replies.get(url.pathname) ?? [];
      const reply =
        queue.length > 1
          ? (queue.shift() as { status: number; body: string })
          : (queue[0] ?? { status: 200, body: '{"errcode":0,"code":0}' });
      res.writeHead(reply.status, { 'Content-Type': 'application/json' }).end(reply.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  dir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-notify-'));
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

afterEach(() => {
  hits.length = 0;
  replies.clear();
});

const FAST = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 100, concurrency: 4 };

async function serviceWith(channelsYaml: string, dedupSeconds = 1800): Promise<NotificationService> {
  const file = path.join(dir, `channels-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, channelsYaml);
  const config = loadConfig({
    NOTIFICATIONS_CONFIG: file,
    NOTIFICATION_DEDUP_SECONDS: String(dedupSeconds),
    PRIVATE_NETWORK_HOSTS: '127.0.0.1',
  } as NodeJS.ProcessEnv);
  const service = new NotificationService(config, FAST);
  await service.onModuleInit();
  return service;
}

function event(kind: MirrorEvent['kind'], overrides: Partial<MirrorEvent['mirror']> = {}): MirrorEvent {
  return {
    kind,
    mirror: {
      id: 'docker-m-daocloud-io',
      name: 'DaoCloud',
      url: 'https://docker.m.daocloud.io',
      visibility: 'public',
      upstream: 'docker.io',
      ...overrides,
    },
    status: kind === 'recovered' ? 'up' : 'down',
    failureClass: kind === 'recovered' ? null : 'timeout',
    detail: kind === 'recovered' ? null : 'manifest timed out after 10 s',
    at: new Date('2026-01-02T03:04:05Z'),
  };
}

describe('NotificationService against local receivers', () => {
  it('signs DingTalk (timestamp + sign query), Feishu (body sign) and the generic webhook (HMAC header) verifiably', async () => {
    const service = await serviceWith(`channels:
  - { type: dingtalk, name: ding, url: "${base}/robot/send?access_token=abc", secret: SECding }
  - { type: feishu, name: lark, url: "${base}/open-apis/bot/v2/hook/x", secret: larksecret, format: card }
  - { type: webhook, name: hook, url: "${base}/hook", secret: hooksecret }
`);
    service.notify(event('down'));
    await service.drained();

    const ding = hits.find((h) => h.path === '/robot/send');
    const timestamp = ding?.query.get('timestamp') ?? '';
    expect(ding?.query.get('access_token')).toBe('abc');
    expect(Math.abs(Number(timestamp) - Date.now())).toBeLessThan(60_000);
    // URLSearchParams already decoded the urlencoded sign.
    expect(ding?.query.get('sign')).toBe(createHmac('sha256', 'SECding').update(`${timestamp}\nSECding`).digest('base64'));
    expect(JSON.parse(ding?.body ?? '{}')).toMatchObject({ msgtype: 'markdown', markdown: { title: expect.stringContaining('DaoCloud') } });

    const lark = JSON.parse(hits.find((h) => h.path === '/open-apis/bot/v2/hook/x')?.body ?? '{}') as {
      timestamp: string;
      sign: string;
      msg_type: string;
    };
    expect(lark.msg_type).toBe('interactive');
    expect(lark.sign).toBe(createHmac('sha256', `${lark.timestamp}\nlarksecret`).update('').digest('base64'));

    const hook = hits.find((h) => h.path === '/hook');
    expect(hook?.headers['x-mirrorwatch-signature']).toBe(
      `sha256=${createHmac('sha256', 'hooksecret')
        .update(hook?.body ?? '')
        .digest('hex')}`,
    );
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({
      event: 'down',
      mirror: { id: 'docker-m-daocloud-io', url: 'https://docker.m.daocloud.io' },
      failureClass: 'timeout',
    });
  });

  it('sends WeCom markdown and Slack blocks', async () => {
    const service = await serviceWith(`channels:
  - { type: wecom, name: wx, url: "${base}/cgi-bin/webhook/send?key=k" }
  - { type: slack, name: sl, url: "${base}/services/T/B/X" }
`);
    service.notify(event('recovered'));
    await service.drained();
    expect(JSON.parse(hits.find((h) => h.path === '/cgi-bin/webhook/send')?.body ?? '{}')).toMatchObject({
      msgtype: 'markdown',
      markdown: { content: expect.stringContaining('RECOVERED') },
    });
    const slack = JSON.parse(hits.find((h) => h.path === '/services/T/B/X')?.body ?? '{}') as { blocks: { type: string }[] };
    expect(slack.blocks.map((b) => b.type)).toEqual(['header', 'section']);
  });

  it('retries with backoff until the bot accepts (HTTP 500, then errcode != 0, then ok)', async () => {
    replies.set('/robot/send', [
      { status: 500, body: 'oops' },
      { status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' },
      { status: 200, body: '{"errcode":0}' },
    ]);
    const service = await serviceWith(`channels:\n  - { type: dingtalk, name: ding, url: "${base}/robot/send?access_token=abc" }\n`);
    service.notify(event('down'));
    await service.drained();
    expect(hits.filter((h) => h.path === '/robot/send')).toHaveLength(3);
  });

  it('gives up after maxAttempts', async () => {
    replies.set('/hook', [{ status: 503, body: '' }]);
    const service = await serviceWith(`channels:\n  - { type: webhook, name: hook, url: "${base}/hook" }\n`);
    service.notify(event('down'));
    await service.drained();
    expect(hits).toHaveLength(FAST.maxAttempts);
  });

  it('does not re-send the same mirror and event within the window; other events and mirrors go out', async () => {
    const service = await serviceWith(`channels:\n  - { type: webhook, name: hook, url: "${base}/hook" }\n`);
    service.notify(event('down'));
    service.notify(event('down'));
    service.notify(event('recovered'));
    service.notify(event('down', { id: 'other' }));
    await service.drained();
    expect(
      hits
        .map((h) => JSON.parse(h.body) as { event: string; mirror: { id: string } })
        .map((b) => `${b.mirror.id}:${b.event}`)
        .sort(),
    ).toEqual(['docker-m-daocloud-io:down', 'docker-m-daocloud-io:recovered', 'other:down']);
  });

  it('never names a private mirror by URL', async () => {
    const service = await serviceWith(
      `channels:\n  - { type: webhook, name: hook, url: "${base}/hook" }\n  - { type: slack, name: sl, url: "${base}/slack" }\n`,
    );
    service.notify(event('down', { id: 'private-0123456789ab', url: 'https://secret123.mirror.aliyuncs.com', visibility: 'private' }));
    await service.drained();
    expect(hits).toHaveLength(2);
    for (const hit of hits) expect(hit.body).not.toContain('secret123');
  });

  it('returns at once even when the receiver is slow (the probe path never waits)', async () => {
    const slow = createServer((_req, res) => setTimeout(() => res.writeHead(200).end(), 300));
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const service = await serviceWith(
        `channels:\n  - { type: webhook, name: slow, url: "http://127.0.0.1:${(slow.address() as AddressInfo).port}/" }\n`,
      );
      const started = performance.now();
      service.notify(event('down'));
      expect(performance.now() - started).toBeLessThan(50);
      await service.drained();
    } finally {
      await new Promise((resolve) => slow.close(resolve));
    }
  });

  it('sends a signed test message through the real provider and reports the receiver status and verdict', async () => {
    replies.set('/robot/send', [{ status: 200, body: '{"errcode":310000,"errmsg":"sign not match"}' }]);
    const service = await serviceWith(
      `channels:\n  - { type: webhook, name: hook, url: "${base}/hook", secret: hooksecret, events: [down] }\n`,
    );
    const [hookChannel] = service.fileChannels();
    expect(await service.sendTest(hookChannel!)).toMatchObject({ delivered: true, status: 200 });
    const hook = hits.find((h) => h.path === '/hook');
    expect(hook?.headers['x-mirrorwatch-event']).toBe('test');
    expect(hook?.headers['x-mirrorwatch-signature']).toBe(
      `sha256=${createHmac('sha256', 'hooksecret')
        .update(hook?.body ?? '')
        .digest('hex')}`,
    );
    expect(JSON.parse(hook?.body ?? '{}')).toMatchObject({ event: 'test', test: true, detail: expect.stringContaining('"hook"') });

    // A bot that answers 200 with an error code is reported as not delivered, with its reply.
    const refused = await service.sendTest({ type: 'dingtalk', name: 'ding', url: `${base}/robot/send?access_token=abc` });
    expect(refused).toMatchObject({ delivered: false, status: 200, reply: expect.stringContaining('310000') });
    expect(hits.filter((h) => h.path === '/robot/send')).toHaveLength(1);
  });

  it('reports a test message nobody received with the error, never the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const service = await serviceWith('channels: []\n');
    const result = await service.sendTest({ type: 'wecom', name: 'gone', url: `http://127.0.0.1:${port}/send?key=topsecret` });
    expect(result).toMatchObject({ delivered: false, status: null, error: expect.stringMatching(/fetch failed|ECONNREFUSED/) });
    expect(JSON.stringify(result)).not.toContain('topsecret');
  });

  it.each([
    ['channels:\n  - { type: pager, name: x, url: "http://a" }', /channels\.0\.type/],
    ['channels:\n  - { type: slack, name: x, url: "ftp://a" }', /channels\.0\.url/],
    ['channels:\n  - { type: slack, name: x, url: "http://a" }\n  - { type: wecom, name: x, url: "http://b" }', /used twice/],
    ['channels: [', /not valid YAML/],
  ])('rejects a bad config file naming the entry: %s', async (yaml, message) => {
    await expect(serviceWith(yaml)).rejects.toThrow(message);
  });

  it('stops sending to an admin channel deleted through another replica, without a restart', async () => {
    const now = new Date();
    const records: NotificationChannelRecord[] = [
      {
        id: 'ch-1',
        name: 'shared',
        type: 'webhook',
        url: `${base}/deleted-elsewhere`,
        secret: null,
        format: null,
        events: null,
        createdAt: now,
        updatedAt: now,
      },
    ];
    // Another replica's DELETE only changes the database; this replica still holds the channel in memory.
    const stored = {
      list: async () => [...records],
      findById: async (id: string) => records.find((record) => record.id === id) ?? null,
    } as unknown as NotificationChannelRepository;
    const service = new NotificationService(loadConfig({ PRIVATE_NETWORK_HOSTS: '127.0.0.1' } as NodeJS.ProcessEnv), FAST, stored);
    await service.onModuleInit();
    service.notify(event('down'));
    await service.drained();
    expect(hits.filter((hit) => hit.path === '/deleted-elsewhere')).toHaveLength(1);

    records.length = 0;
    service.notify(event('recovered'));
    await service.drained();
    service.onApplicationShutdown();
    expect(hits.filter((hit) => hit.path === '/deleted-elsewhere')).toHaveLength(1);
  });

  it('refuses a webhook on a private address the operator did not list', async () => {
    const config = loadConfig({} as NodeJS.ProcessEnv);
    const service = new NotificationService(config, FAST);
    const result = await service.sendTest({ type: 'webhook', name: 'internal', url: `${base}/hook` });
    expect(result).toMatchObject({ delivered: false, status: null, error: expect.stringContaining('outbound address policy') });
    expect(hits).toHaveLength(0);
  });
});
