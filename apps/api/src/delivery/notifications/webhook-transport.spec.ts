import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { HOSTILE_DNS, hostileDestinations, serversClosedAfterSuite, testResolver } from '@mirrorwatch/probe/testing';
import { deliverToChannel } from './channel-delivery.js';
import type { MirrorEvent } from './mirror-event.js';
import { testEvent } from './test-event.js';
import { createWebhookTransport, literalWebhookRefusal, REPLY_CAP_BYTES, type WebhookPolicyFor } from './webhook-transport.js';

/**
 * Webhooks through the outbound policy, against real receivers on 127.0.0.1.
 * `hooks.test` stands for a chat service on the internet (loopback, declared
 * public for the test); every other name and literal is judged by its address.
 * On the code before the policy (global fetch), each hostile URL was posted
 * to, redirects were followed and replies inflated and read whole.
 */
const start = serversClosedAfterSuite();

let internalHits = 0;
const internal = await start((_request, response) => {
  internalHits++;
  response.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
});

function policyFor(privateHosts: readonly string[] = []): WebhookPolicyFor {
  const resolver = testResolver({ ...HOSTILE_DNS, 'hooks.test': ['127.0.0.1'] });
  return (url) => ({
    scope: privateHosts.includes(url.hostname) ? 'private-network' : 'public',
    lookup: resolver.lookup,
    publicHostsForTesting: new Set(['hooks.test']),
  });
}

const channel = (url: string) => ({ type: 'webhook' as const, name: 'hook', url });
const event: MirrorEvent = testEvent('hook', new Date('2026-01-01T00:00:00Z'));

describe('webhook delivery through the outbound policy', () => {
  it.each(hostileDestinations(internal.port).filter(({ name }) => !name.startsWith('rebinding')))(
    'refuses a webhook at $name',
    async ({ url }) => {
      internalHits = 0;
      const transport = createWebhookTransport(policyFor());
      await expect(deliverToChannel(channel(`${url}/hook`), event, transport)).rejects.toMatchObject({
        code: 'ERR_OUTBOUND_ADDRESS_REFUSED',
      });
      expect(internalHits).toBe(0);
    },
  );

  it('refuses a rebinding name at send time even when an earlier lookup said public', async () => {
    internalHits = 0;
    const resolver = testResolver({ 'rebind.test': (call) => (call === 1 ? ['93.184.216.34'] : ['127.0.0.1']) });
    resolver.lookup('rebind.test', { all: true }, () => undefined);
    const transport = createWebhookTransport(() => ({ scope: 'public', lookup: resolver.lookup }));
    await expect(deliverToChannel(channel(`http://rebind.test:${internal.port}/hook`), event, transport)).rejects.toMatchObject({
      code: 'ERR_OUTBOUND_ADDRESS_REFUSED',
    });
    expect(internalHits).toBe(0);
  });

  it('delivers to a private receiver the operator listed in PRIVATE_NETWORK_HOSTS', async () => {
    internalHits = 0;
    const outcome = await deliverToChannel(channel(`${internal.url}/hook`), event, createWebhookTransport(policyFor(['127.0.0.1'])));
    expect(outcome).toMatchObject({ status: 200, accepted: true });
    expect(internalHits).toBe(1);
  });

  it('treats a redirect as a failed delivery and never follows it', async () => {
    internalHits = 0;
    const redirecting = await start((_request, response) => {
      response.writeHead(307, { location: `${internal.url}/elsewhere` }).end();
    });
    const outcome = await deliverToChannel(
      channel(`http://hooks.test:${redirecting.port}/hook`),
      event,
      createWebhookTransport(policyFor(['127.0.0.1'])),
    );
    expect(outcome).toEqual({ status: 307, accepted: false, summary: 'HTTP 307, redirects are not followed, not accepted' });
    expect(internalHits).toBe(0);
  });

  it('reads at most the reply cap and reports an oversized reply as not accepted', async () => {
    const huge = await start((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(`{"errcode":0,"pad":"${'x'.repeat(REPLY_CAP_BYTES * 64)}"}`);
    });
    const transport = createWebhookTransport(policyFor());
    const reply = await transport.post(`http://hooks.test:${huge.port}/hook`, {}, '{}');
    expect(reply.truncated).toBe(true);
    expect(reply.text.length).toBeLessThanOrEqual(REPLY_CAP_BYTES);
    const outcome = await deliverToChannel(channel(`http://hooks.test:${huge.port}/hook`), event, transport);
    expect(outcome).toMatchObject({ accepted: false, summary: expect.stringContaining('reply larger than the size cap') });
  });

  it('never inflates a compressed reply', async () => {
    const body = gzipSync(Buffer.from('{"errcode":0}'));
    const gzipped = await start((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': body.length }).end(body);
    });
    const reply = await createWebhookTransport(policyFor()).post(`http://hooks.test:${gzipped.port}/hook`, {}, '{}');
    expect(Buffer.from(reply.text, 'utf8').subarray(0, 2)).not.toEqual(Buffer.from('{"'));
    expect(reply.text).not.toContain('errcode');
  });

  it('summarizes a reply without echoing its body', async () => {
    const chatty = await start((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":310000,"errmsg":"internal-secret-data"}');
    });
    const outcome = await deliverToChannel(
      { type: 'dingtalk', name: 'ding', url: `http://hooks.test:${chatty.port}/robot/send?access_token=t` },
      event,
      createWebhookTransport(policyFor()),
    );
    expect(outcome).toEqual({ status: 200, accepted: false, summary: 'HTTP 200, error code 310000, not accepted' });
  });
});

describe('literalWebhookRefusal', () => {
  it.each([
    ['http://127.0.0.1:9/hook', [], /loopback.*list 127\.0\.0\.1 in PRIVATE_NETWORK_HOSTS/],
    ['http://2852039166/hook', [], /link-local/],
    ['http://2852039166/hook', ['169.254.169.254'], /link-local/],
    ['http://[fd00::7]/hook', [], /unique local.*list fd00::7/],
    ['http://127.0.0.1:9/hook', ['127.0.0.1'], null],
    ['https://hooks.slack.com/services/x', [], null],
    ['http://8.8.8.8/hook', [], null],
  ] as const)('%s with %j', (url, hosts, expected) => {
    const refusal = literalWebhookRefusal(url, hosts);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatch(expected);
  });
});
