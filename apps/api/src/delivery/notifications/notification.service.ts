import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { NotificationChannelRepository } from '#infrastructure/persistence/notification-channel.repository.js';
import { deliverToChannel, deliveryErrorReason } from './channel-delivery.js';
import { DeliveryQueue } from './delivery-queue.js';
import { EventDeduplicator } from './event-deduplicator.js';
import type { MirrorEvent, MirrorEventNotifier } from './mirror-event.js';
import { channelWants, parseNotificationChannels, type ChannelConfig } from './notification-channels.js';
import { channelFromRecord } from './stored-channels.js';
import { testEvent } from './test-event.js';
import { createWebhookTransport, literalWebhookRefusal, webhookPolicy, type WebhookTransport } from './webhook-transport.js';

export const DELIVERY_POLICY = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 60_000, concurrency: 4 };
export type DeliveryPolicy = typeof DELIVERY_POLICY;
/** Optional override of DELIVERY_POLICY (tests use millisecond backoffs). */
export const NOTIFICATION_DELIVERY_POLICY = Symbol('NOTIFICATION_DELIVERY_POLICY');
/** Optional override of the webhook transport (tests inject a resolver into its address policy). */
export const WEBHOOK_TRANSPORT = Symbol('WEBHOOK_TRANSPORT');
/**
 * Admin channels are re-read this often, so a leader stops sending to a
 * channel deleted through another replica (and picks up new ones) without a
 * restart; each send also checks its admin channel still exists.
 */
export const ADMIN_CHANNEL_RELOAD_MS = 30_000;

/** What a test message did: the receiver's status and verdict, or why nothing was received. */
/** `reply` is a short status summary (status, numeric error code, verdict), never the receiver's body. */
export type TestDeliveryResult = { delivered: boolean; status: number; reply: string } | { delivered: false; status: null; error: string };

/**
 * Fans mirror events out to the channels of NOTIFICATIONS_CONFIG and those
 * created through the admin API (kept in memory, reloaded after each admin
 * change, so `notify` stays synchronous and changes apply without a restart).
 * `notify` only deduplicates and enqueues; delivery, retries with exponential
 * backoff and failure logging happen in the background. Logs name channels,
 * never their URLs or secrets (DingTalk/WeCom/Slack hook URLs are credentials).
 */
@Injectable()
export class NotificationService implements MirrorEventNotifier, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationService.name);
  private fileChannelList: ChannelConfig[] = [];
  private adminChannelList: { id: string; channel: ChannelConfig }[] = [];
  private reloadTimer: NodeJS.Timeout | null = null;
  private readonly transport: WebhookTransport;
  /** Reloads run one after another, so the last one to finish read after the last write. */
  private reloading: Promise<void> = Promise.resolve();
  private readonly dedup: EventDeduplicator;
  private readonly queue: DeliveryQueue;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(NOTIFICATION_DELIVERY_POLICY) policy: DeliveryPolicy | null = null,
    @Optional() @Inject(NotificationChannelRepository) private readonly stored: NotificationChannelRepository | null = null,
    @Optional() @Inject(WEBHOOK_TRANSPORT) transport: WebhookTransport | null = null,
  ) {
    this.transport = transport ?? createWebhookTransport(webhookPolicy(config.privateNetworkHosts));
    this.dedup = new EventDeduplicator(config.notificationDedupSeconds * 1000);
    this.queue = new DeliveryQueue({
      ...(policy ?? DELIVERY_POLICY),
      onRetry: (job, attempt, error, delayMs) =>
        this.logger.warn({ msg: 'notification failed; will retry', channel: job.label, attempt, delayMs, err: deliveryErrorReason(error) }),
      onGiveUp: (job, attempts, error) =>
        this.logger.error({ msg: 'notification dropped after retries', channel: job.label, attempts, err: deliveryErrorReason(error) }),
      onDelivered: (job, attempts) => this.logger.debug({ msg: 'notification delivered', channel: job.label, attempts }),
    });
  }

  async onModuleInit(): Promise<void> {
    const path = this.config.notificationsConfigPath;
    if (path !== null) {
      this.fileChannelList = parseNotificationChannels(await readFile(path, 'utf8'), path);
      this.logger.log({ msg: 'notification channels loaded', source: 'file', channels: this.fileChannelList.map(label) });
    }
    await this.reloadAdminChannels();
    if (this.stored !== null) {
      this.reloadTimer = setInterval(() => {
        this.reloadAdminChannels().catch((error: unknown) =>
          this.logger.warn({
            msg: 'admin notification channels not reloaded',
            err: error instanceof Error ? error.message : String(error),
          }),
        );
      }, ADMIN_CHANNEL_RELOAD_MS);
      this.reloadTimer.unref();
    }
  }

  onApplicationShutdown(): void {
    if (this.reloadTimer !== null) clearInterval(this.reloadTimer);
    this.queue.close();
  }

  /** The channels of NOTIFICATIONS_CONFIG (read-only: the file is their source). */
  fileChannels(): readonly ChannelConfig[] {
    return this.fileChannelList;
  }

  /** Re-reads the admin channels from the database; called after every admin change. */
  reloadAdminChannels(): Promise<void> {
    const next = this.reloading.then(() => this.loadAdminChannels());
    this.reloading = next.catch(() => undefined);
    return next;
  }

  notify(event: MirrorEvent): void {
    const targets = [...this.fileChannelList.map((channel) => ({ id: null, channel })), ...this.adminChannelList].filter(({ channel }) =>
      channelWants(channel, event.kind),
    );
    if (targets.length === 0 || !this.dedup.admit(event)) return;
    for (const { id, channel } of targets) {
      this.queue.enqueue({ label: label(channel), send: () => this.sendUnlessDeleted(id, channel, event) });
    }
  }

  /**
   * Sends a test message now, through the same provider code and HTTP path as
   * real events but outside the queue (no retry): the admin wants this
   * attempt's answer. Ignores the channel's event filter.
   */
  async sendTest(channel: ChannelConfig): Promise<TestDeliveryResult> {
    try {
      const outcome = await deliverToChannel(channel, testEvent(channel.name, new Date()), this.transport);
      this.logger.log({ msg: 'test notification sent', channel: label(channel), status: outcome.status, accepted: outcome.accepted });
      return { delivered: outcome.accepted, status: outcome.status, reply: outcome.summary };
    } catch (error) {
      const reason = deliveryErrorReason(error);
      this.logger.warn({ msg: 'test notification failed', channel: label(channel), err: reason });
      return { delivered: false, status: null, error: reason };
    }
  }

  /** Why the outbound policy would refuse this webhook URL outright (an IP literal it never allows), or null. */
  refusedWebhookUrl(url: string): string | null {
    return literalWebhookRefusal(url, this.config.privateNetworkHosts);
  }

  /** Resolves once every queued notification was delivered or given up (tests). */
  drained(): Promise<void> {
    return this.queue.idle();
  }

  private async loadAdminChannels(): Promise<void> {
    if (this.stored === null) return;
    const channels: { id: string; channel: ChannelConfig }[] = [];
    for (const record of await this.stored.list()) {
      try {
        channels.push({ id: record.id, channel: channelFromRecord(record) });
      } catch (error) {
        this.logger.error({
          msg: 'stored notification channel skipped',
          channel: record.name,
          err: error instanceof Error ? error.message : String(error),
        });
      }
    }
    const changed =
      channels.map(({ id, channel }) => `${id}:${label(channel)}`).join() !==
      this.adminChannelList.map(({ id, channel }) => `${id}:${label(channel)}`).join();
    this.adminChannelList = channels;
    if (changed)
      this.logger.log({ msg: 'notification channels loaded', source: 'admin', channels: channels.map(({ channel }) => label(channel)) });
  }

  /**
   * Sends unless the admin channel was deleted meanwhile (possibly through
   * another replica: this one's list may be up to ADMIN_CHANNEL_RELOAD_MS
   * old, and a queued retry older still). File channels always send.
   */
  private async sendUnlessDeleted(id: string | null, channel: ChannelConfig, event: MirrorEvent): Promise<void> {
    if (id !== null && this.stored !== null && (await this.stored.findById(id)) === null) {
      this.logger.log({ msg: 'notification skipped: channel was deleted', channel: label(channel) });
      this.adminChannelList = this.adminChannelList.filter((entry) => entry.id !== id);
      return;
    }
    const outcome = await deliverToChannel(channel, event, this.transport);
    if (!outcome.accepted) throw new Error(outcome.summary);
  }
}

function label(channel: ChannelConfig): string {
  return `${channel.type}:${channel.name}`;
}
