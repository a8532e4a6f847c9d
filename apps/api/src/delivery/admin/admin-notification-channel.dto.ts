import type { MirrorEventKind } from '../notifications/mirror-event.js';
import type { ChannelType } from '../notifications/notification-channels.js';

/**
 * A notification channel as the admin API shows it: URL credentials and the
 * secret masked (`***`), so the listing can be shared or logged by clients.
 * File channels (NOTIFICATIONS_CONFIG) are read-only here.
 */
export interface AdminNotificationChannelDto {
  /** A UUID for admin channels; `file:<name>` for channels of the file. */
  id: string;
  source: 'file' | 'admin';
  readOnly: boolean;
  name: string;
  type: ChannelType;
  url: string;
  /** `***` when a signing secret is set, else null. */
  secret: string | null;
  /** Feishu only. */
  format: 'text' | 'card' | null;
  /** Null: every event. */
  events: MirrorEventKind[] | null;
  createdAt: string | null;
  updatedAt: string | null;
}

/** The answer of one test message. */
export interface NotificationTestResultDto {
  channel: string;
  /** The receiver answered and its provider's success rule holds (2xx, and errcode/code 0 for chat bots). */
  delivered: boolean;
  /** The receiver's HTTP status; null when nothing answered. */
  status: number | null;
  /** A status summary (`HTTP 200, error code 310000, not accepted`): never the reply body, which could come from anywhere the URL points. */
  reply?: string;
  /** Why nothing answered (network error or timeout), without the URL. */
  error?: string;
}
