import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import {
  NotificationChannelConflictError,
  NotificationChannelRepository,
  type NotificationChannelRecord,
} from '#infrastructure/persistence/notification-channel.repository.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { maskChannelUrl, maskSecret } from '../notifications/channel-masking.js';
import { NotificationConfigError, type ChannelConfig } from '../notifications/notification-channels.js';
import { NotificationService } from '../notifications/notification.service.js';
import { channelFromRecord, channelToData } from '../notifications/stored-channels.js';
import type { AdminNotificationChannelDto, NotificationTestResultDto } from './admin-notification-channel.dto.js';
import { parseChannelCreation, parseChannelPatch } from './admin-notification-channel-input.js';

const FILE_ID_PREFIX = 'file:';

/**
 * Notification channels through the admin API. Admin channels live in the
 * database; after each change the NotificationService reloads them, so the
 * next event already uses them. File channels are listed and testable but
 * read-only: NOTIFICATIONS_CONFIG stays their single source. Logs name
 * channels, never URLs or secrets.
 */
@Injectable()
export class AdminNotificationChannelsService {
  private readonly logger = new Logger(AdminNotificationChannelsService.name);

  constructor(
    private readonly repository: NotificationChannelRepository,
    private readonly notifications: NotificationService,
  ) {}

  async list(): Promise<AdminNotificationChannelDto[]> {
    const fromFile = this.notifications.fileChannels().map(fileDto);
    const fromAdmin = (await this.repository.list()).map(adminDto);
    return [...fromFile, ...fromAdmin];
  }

  async create(body: unknown): Promise<AdminNotificationChannelDto> {
    const channel = parseChannelCreation(body);
    this.refuseFileName(channel.name);
    this.refuseUnreachableUrl(channel.url);
    const record = await this.conflictsAs409(() => this.repository.create(channelToData(channel)));
    this.logger.log({ msg: 'admin created a notification channel', channel: record.name, type: record.type });
    await this.notifications.reloadAdminChannels();
    return adminDto(record);
  }

  async update(id: string, body: unknown): Promise<AdminNotificationChannelDto> {
    const current = await this.adminRecord(id);
    const channel = parseChannelPatch(body, usable(current));
    if (channel.name !== current.name) this.refuseFileName(channel.name);
    this.refuseUnreachableUrl(channel.url);
    const record = await this.conflictsAs409(() => this.repository.replace(id, channelToData(channel)));
    if (!record) throw notFound(id);
    this.logger.log({ msg: 'admin updated a notification channel', channel: record.name, fields: Object.keys(body as object) });
    await this.notifications.reloadAdminChannels();
    return adminDto(record);
  }

  async remove(id: string): Promise<void> {
    this.refuseFileId(id);
    const record = await this.repository.findById(id);
    if (!record || !(await this.repository.delete(id))) throw notFound(id);
    this.logger.log({ msg: 'admin deleted a notification channel', channel: record.name });
    await this.notifications.reloadAdminChannels();
  }

  /** Sends a test message through the channel's provider; file channels included. */
  async test(id: string): Promise<NotificationTestResultDto> {
    const channel = id.startsWith(FILE_ID_PREFIX) ? this.fileChannel(id) : usable(await this.adminRecord(id));
    const result = await this.notifications.sendTest(channel);
    return { channel: channel.name, ...result };
  }

  /** A webhook at an IP literal the outbound policy never reaches could not deliver anything: 400 now, not silent failures later. */
  private refuseUnreachableUrl(url: string): void {
    const refusal = this.notifications.refusedWebhookUrl(url);
    if (refusal !== null) throw new InvalidParameterException('url', refusal);
  }

  private async adminRecord(id: string): Promise<NotificationChannelRecord> {
    this.refuseFileId(id);
    const record = await this.repository.findById(id);
    if (!record) throw notFound(id);
    return record;
  }

  private fileChannel(id: string): ChannelConfig {
    const name = id.slice(FILE_ID_PREFIX.length);
    const channel = this.notifications.fileChannels().find((c) => c.name === name);
    if (!channel) throw notFound(id);
    return channel;
  }

  private refuseFileId(id: string): void {
    if (!id.startsWith(FILE_ID_PREFIX)) return;
    this.fileChannel(id);
    throw new ConflictException(`channel ${JSON.stringify(id)} comes from NOTIFICATIONS_CONFIG and is read-only here: edit the file`);
  }

  /** Names label channels in logs and messages, so file and admin channels never share one. */
  private refuseFileName(name: string): void {
    if (this.notifications.fileChannels().some((c) => c.name === name)) {
      throw new ConflictException(`a channel named ${JSON.stringify(name)} is configured in NOTIFICATIONS_CONFIG`);
    }
  }

  private async conflictsAs409<T>(action: () => Promise<T>): Promise<T> {
    try {
      return await action();
    } catch (error) {
      if (error instanceof NotificationChannelConflictError) throw new ConflictException(error.message);
      throw error;
    }
  }
}

/** A stored row that no longer passes the schema (edited by hand) is reported, not sent half-valid: delete and re-create it. */
function usable(record: NotificationChannelRecord): ChannelConfig {
  try {
    return channelFromRecord(record);
  } catch (error) {
    if (error instanceof NotificationConfigError) throw new ConflictException(`${error.message}; delete the channel and create it again`);
    throw error;
  }
}

function notFound(id: string): NotFoundException {
  return new NotFoundException(`no notification channel with id ${JSON.stringify(id)}`);
}

function fileDto(channel: ChannelConfig): AdminNotificationChannelDto {
  return {
    id: `${FILE_ID_PREFIX}${channel.name}`,
    source: 'file',
    readOnly: true,
    ...maskedFields(channel),
    createdAt: null,
    updatedAt: null,
  };
}

/** From the record, not the parsed channel: a row that fails validation is still listed (and can be fixed or deleted). */
function adminDto(record: NotificationChannelRecord): AdminNotificationChannelDto {
  return {
    id: record.id,
    source: 'admin',
    readOnly: false,
    name: record.name,
    type: record.type as AdminNotificationChannelDto['type'],
    url: maskChannelUrl(record.url),
    secret: maskSecret(record.secret),
    format: record.format === 'text' || record.format === 'card' ? record.format : null,
    events: record.events as AdminNotificationChannelDto['events'],
    createdAt: record.createdAt.toISOString(),
    updatedAt: record.updatedAt.toISOString(),
  };
}

function maskedFields(channel: ChannelConfig) {
  return {
    name: channel.name,
    type: channel.type,
    url: maskChannelUrl(channel.url),
    secret: maskSecret('secret' in channel ? channel.secret : null),
    format: channel.type === 'feishu' ? channel.format : null,
    events: channel.events ?? null,
  };
}
