import { Injectable } from '@nestjs/common';
import { isRecordNotFound, isUniqueViolation } from './prisma-errors.js';
import { sqlTagsOf, type NotificationChannelRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';

/**
 * The stored columns of an admin notification channel. Closed sets (type,
 * format, event kinds) stay strings here: the notification schema in the app
 * validates them on the way in and again when channels are loaded.
 */
export interface NotificationChannelData {
  name: string;
  type: string;
  url: string;
  secret: string | null;
  format: string | null;
  /** Null: every event. */
  events: readonly string[] | null;
}

export interface NotificationChannelRecord extends NotificationChannelData {
  id: string;
  events: string[] | null;
  createdAt: Date;
  updatedAt: Date;
}

/** Thrown when another admin channel already has the name. */
export class NotificationChannelConflictError extends Error {
  override readonly name = 'NotificationChannelConflictError';
}

/**
 * Admin-managed notification channels. Event lists are stored comma-separated
 * (no arrays or Json: SQLite has neither), so an event name never contains a comma.
 */
@Injectable()
export class NotificationChannelRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Every channel by name. Raw SQL: the notification service reloads the list every ADMIN_CHANNEL_RELOAD_MS
   * whether or not anything changed, and through the model API each read was a pass of Prisma's query
   * compiler on the API thread (issue 10).
   */
  async list(): Promise<NotificationChannelRecord[]> {
    const { sql } = sqlTagsOf(this.prisma.client);
    const rows = await this.prisma.client.$queryRaw<NotificationChannelRow[]>(sql`SELECT * FROM "NotificationChannel" ORDER BY "name" ASC`);
    return rows.map(toRecord);
  }

  async findById(id: string): Promise<NotificationChannelRecord | null> {
    const row = await this.prisma.client.notificationChannel.findUnique({ where: { id } });
    return row ? toRecord(row) : null;
  }

  async create(data: NotificationChannelData): Promise<NotificationChannelRecord> {
    try {
      return toRecord(await this.prisma.client.notificationChannel.create({ data: toColumns(data) }));
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(data.name, error);
      throw error;
    }
  }

  /** Replaces every column; null when no channel has this id. */
  async replace(id: string, data: NotificationChannelData): Promise<NotificationChannelRecord | null> {
    try {
      return toRecord(await this.prisma.client.notificationChannel.update({ where: { id }, data: toColumns(data) }));
    } catch (error) {
      if (isRecordNotFound(error)) return null;
      if (isUniqueViolation(error)) throw conflict(data.name, error);
      throw error;
    }
  }

  /** False when absent. */
  async delete(id: string): Promise<boolean> {
    const { count } = await this.prisma.client.notificationChannel.deleteMany({ where: { id } });
    return count > 0;
  }
}

function conflict(name: string, cause: unknown): NotificationChannelConflictError {
  return new NotificationChannelConflictError(`a notification channel named "${name}" already exists`, { cause });
}

function toColumns(data: NotificationChannelData) {
  if (data.events?.some((event) => event.includes(',') || event.trim() !== event || event === '')) {
    throw new TypeError(`event names must be non-empty and contain no comma or spaces: ${JSON.stringify(data.events)}`);
  }
  return {
    name: data.name,
    type: data.type,
    url: data.url,
    secret: data.secret,
    format: data.format,
    events: data.events === null ? null : data.events.join(','),
  };
}

function toRecord(row: NotificationChannelRow): NotificationChannelRecord {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    url: row.url,
    secret: row.secret,
    format: row.format,
    events: row.events === null ? null : row.events.split(',').filter((event) => event !== ''),
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
  };
}
