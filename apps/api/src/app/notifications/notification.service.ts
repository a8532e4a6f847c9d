import { readFile } from 'node:fs/promises';
import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '../../services/configuration/app-config.js';
import { DeliveryQueue } from './delivery-queue.js';
import { EventDeduplicator } from './event-deduplicator.js';
import type { MirrorEvent, MirrorEventNotifier } from './mirror-event.js';
import { buildRequest, channelWants, parseNotificationChannels, type ChannelConfig } from './notification-channels.js';

/** A chat API that has not answered in this long is treated as failed (and retried). */
const SEND_TIMEOUT_MS = 10_000;
export const DELIVERY_POLICY = { maxAttempts: 5, baseDelayMs: 2_000, maxDelayMs: 60_000, concurrency: 4 };
export type DeliveryPolicy = typeof DELIVERY_POLICY;
/** Optional override of DELIVERY_POLICY (tests use millisecond backoffs). */
export const NOTIFICATION_DELIVERY_POLICY = Symbol('NOTIFICATION_DELIVERY_POLICY');

/**
 * Fans mirror events out to the channels of NOTIFICATIONS_CONFIG. `notify` only
 * deduplicates and enqueues; delivery, retries with exponential backoff and
 * failure logging happen in the background. Logs name channels, never their
 * URLs or secrets (DingTalk/WeCom/Slack hook URLs are credentials).
 */
@Injectable()
export class NotificationService implements MirrorEventNotifier, OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(NotificationService.name);
  private channels: ChannelConfig[] = [];
  private readonly dedup: EventDeduplicator;
  private readonly queue: DeliveryQueue;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Optional() @Inject(NOTIFICATION_DELIVERY_POLICY) policy: DeliveryPolicy | null = null,
  ) {
    this.dedup = new EventDeduplicator(config.notificationDedupSeconds * 1000);
    this.queue = new DeliveryQueue({
      ...(policy ?? DELIVERY_POLICY),
      onRetry: (job, attempt, error, delayMs) => this.logger.warn({ msg: 'notification failed; will retry', channel: job.label, attempt, delayMs, err: reason(error) }),
      onGiveUp: (job, attempts, error) => this.logger.error({ msg: 'notification dropped after retries', channel: job.label, attempts, err: reason(error) }),
      onDelivered: (job, attempts) => this.logger.debug({ msg: 'notification delivered', channel: job.label, attempts }),
    });
  }

  async onModuleInit(): Promise<void> {
    const path = this.config.notificationsConfigPath;
    if (path === null) return;
    this.channels = parseNotificationChannels(await readFile(path, 'utf8'), path);
    this.logger.log({ msg: 'notification channels loaded', channels: this.channels.map((c) => `${c.type}:${c.name}`) });
  }

  onApplicationShutdown(): void {
    this.queue.close();
  }

  notify(event: MirrorEvent): void {
    const targets = this.channels.filter((channel) => channelWants(channel, event.kind));
    if (targets.length === 0 || !this.dedup.admit(event)) return;
    for (const channel of targets) {
      this.queue.enqueue({ label: `${channel.type}:${channel.name}`, send: () => send(channel, event) });
    }
  }

  /** Resolves once every queued notification was delivered or given up (tests). */
  drained(): Promise<void> {
    return this.queue.idle();
  }
}

async function send(channel: ChannelConfig, event: MirrorEvent): Promise<void> {
  // Built per attempt: DingTalk and Feishu signatures carry a timestamp that expires.
  const request = buildRequest(channel, event, new Date());
  const response = await fetch(request.url, { method: 'POST', headers: request.headers, body: request.body, signal: AbortSignal.timeout(SEND_TIMEOUT_MS) });
  const text = await response.text();
  if (!request.accepted(response.status, text)) {
    throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  }
}

/** Error text without the URL: fetch errors can quote it, and hook URLs carry tokens. */
function reason(error: unknown): string {
  const message = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return message.replace(/https?:\/\/\S+/g, '<url>');
}
