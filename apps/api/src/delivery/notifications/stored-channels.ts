import type { NotificationChannelData, NotificationChannelRecord } from '#infrastructure/persistence/notification-channel.repository.js';
import { CHANNEL_SCHEMA, NotificationConfigError, type ChannelConfig } from './notification-channels.js';

/**
 * A stored admin channel as the providers take it, checked against the same
 * schema as the file: rows are only written after validation, but a row edited
 * by hand (or by a future version) must not reach a provider half-valid.
 */
export function channelFromRecord(record: NotificationChannelRecord): ChannelConfig {
  const candidate = {
    type: record.type,
    name: record.name,
    url: record.url,
    ...(record.secret !== null ? { secret: record.secret } : {}),
    ...(record.format !== null ? { format: record.format } : {}),
    ...(record.events !== null ? { events: record.events } : {}),
  };
  const result = CHANNEL_SCHEMA.safeParse(candidate);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new NotificationConfigError(`stored channel ${record.id}: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return result.data;
}

export function channelToData(channel: ChannelConfig): NotificationChannelData {
  return {
    name: channel.name,
    type: channel.type,
    url: channel.url,
    secret: 'secret' in channel && channel.secret !== undefined ? channel.secret : null,
    format: channel.type === 'feishu' ? channel.format : null,
    events: channel.events ?? null,
  };
}
