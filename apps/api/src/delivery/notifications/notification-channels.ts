import { parse } from 'yaml';
import { z } from 'zod';
import { MIRROR_EVENT_KINDS, type MirrorEvent, type MirrorEventKind } from './mirror-event.js';
import { dingTalkProvider } from './providers/dingtalk.provider.js';
import { feishuProvider } from './providers/feishu.provider.js';
import type { OutgoingRequest } from './providers/outgoing-request.js';
import { slackProvider } from './providers/slack.provider.js';
import { webhookProvider } from './providers/webhook.provider.js';
import { weComProvider } from './providers/wecom.provider.js';

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });
const common = {
  name: z.string().trim().min(1).max(100),
  url: httpUrl,
  /** Only these events go to the channel; default all. */
  events: z.array(z.enum(MIRROR_EVENT_KINDS)).min(1).optional(),
};

/** One channel, as in the file and as the admin API accepts it (one schema, one set of rules). */
export const CHANNEL_SCHEMA = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('webhook'), ...common, secret: z.string().min(1).optional() }),
  z.strictObject({ type: z.literal('dingtalk'), ...common, secret: z.string().min(1).optional() }),
  z.strictObject({
    type: z.literal('feishu'),
    ...common,
    secret: z.string().min(1).optional(),
    format: z.enum(['text', 'card']).default('card'),
  }),
  z.strictObject({ type: z.literal('wecom'), ...common }),
  z.strictObject({ type: z.literal('slack'), ...common }),
]);

const FILE_SCHEMA = z.strictObject({ channels: z.array(CHANNEL_SCHEMA) });

export type ChannelConfig = z.output<typeof CHANNEL_SCHEMA>;
export type ChannelType = ChannelConfig['type'];
export const CHANNEL_TYPES = CHANNEL_SCHEMA.options.map((option) => option.shape.type.value) as readonly ChannelType[];

/** Raised at boot; names the file and the offending entry, never a secret or URL value. */
export class NotificationConfigError extends Error {
  override readonly name = 'NotificationConfigError';
}

/**
 * Parses the NOTIFICATIONS_CONFIG file:
 *   channels:
 *     - { type: dingtalk, name: ops, url: "https://oapi.dingtalk.com/robot/send?access_token=...", secret: SEC... }
 */
export function parseNotificationChannels(text: string, source: string): ChannelConfig[] {
  let raw: unknown;
  try {
    raw = parse(text);
  } catch (error) {
    throw new NotificationConfigError(
      `${source}: not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    );
  }
  const result = FILE_SCHEMA.safeParse(raw ?? { channels: [] });
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new NotificationConfigError(`${source}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const names = new Set<string>();
  for (const channel of result.data.channels) {
    if (names.has(channel.name)) throw new NotificationConfigError(`${source}: channel name "${channel.name}" is used twice`);
    names.add(channel.name);
  }
  return result.data.channels;
}

export function channelWants(channel: ChannelConfig, kind: MirrorEventKind): boolean {
  return channel.events === undefined || channel.events.includes(kind);
}

/** Exhaustive dispatch to the provider files (one per chat service). */
export function buildRequest(channel: ChannelConfig, event: MirrorEvent, now: Date): OutgoingRequest {
  switch (channel.type) {
    case 'webhook':
      return webhookProvider.build(event, channel, now);
    case 'dingtalk':
      return dingTalkProvider.build(event, channel, now);
    case 'feishu':
      return feishuProvider.build(event, channel, now);
    case 'wecom':
      return weComProvider.build(event, channel, now);
    case 'slack':
      return slackProvider.build(event, channel, now);
    default: {
      const unreachable: never = channel;
      throw new TypeError(`unhandled channel ${JSON.stringify(unreachable)}`);
    }
  }
}
