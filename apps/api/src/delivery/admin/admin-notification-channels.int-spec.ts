import { createServer, type Server } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConflictException, NotFoundException } from '@nestjs/common';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { NotificationChannelRepository } from '#infrastructure/persistence/notification-channel.repository.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import type { MirrorEvent } from '../notifications/mirror-event.js';
import { NotificationService } from '../notifications/notification.service.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { AdminNotificationChannelsService } from './admin-notification-channels.service.js';

/**
 * The admin channel service over a real (SQLite) database and a real
 * NotificationService, with a local receiver: changes reach `notify` at once,
 * and rows that no longer pass the schema are listed but never sent.
 */
const FAST = { maxAttempts: 1, baseDelayMs: 10, maxDelayMs: 10, concurrency: 4 };

describe('AdminNotificationChannelsService on SQLite', () => {
  let db: TestDatabase;
  let dir: string;
  let server: Server;
  let base: string;
  const paths: string[] = [];
  let notifications: NotificationService;
  let admin: AdminNotificationChannelsService;

  beforeAll(async () => {
    db = await openTestDatabase('sqlite', null);
    dir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-admin-channels-'));
    server = createServer((req, res) => {
      paths.push(new URL(req.url ?? '/', 'http://x').pathname);
      req.resume().on('end', () => res.writeHead(200).end('{"errcode":0}'));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await db?.close();
    await new Promise((resolve) => server?.close(resolve));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(async () => {
    await db.reset();
    paths.length = 0;
    const file = path.join(dir, 'channels.yaml');
    await writeFile(file, `channels:\n  - { type: webhook, name: from-file, url: "${base}/file" }\n`);
    const repository = new NotificationChannelRepository(db.prisma);
    notifications = new NotificationService(
      loadConfig({ NOTIFICATIONS_CONFIG: file, PRIVATE_NETWORK_HOSTS: '127.0.0.1' } as NodeJS.ProcessEnv),
      FAST,
      repository,
    );
    await notifications.onModuleInit();
    admin = new AdminNotificationChannelsService(repository, notifications);
  });

  let eventCount = 0;
  /** A down event of a new mirror each time, so the deduplicator lets it through. */
  async function notifyAndDrain(): Promise<string[]> {
    paths.length = 0;
    eventCount += 1;
    const event: MirrorEvent = {
      kind: 'down',
      mirror: { id: `m${eventCount}`, name: 'm', url: 'https://m.example', visibility: 'public', upstream: 'docker.io' },
      status: 'down',
      failureClass: 'dns',
      detail: null,
      at: new Date(),
    };
    notifications.notify(event);
    await notifications.drained();
    return [...paths].sort();
  }

  it('uses a created channel for the next event, a changed one as changed, a deleted one no more', async () => {
    expect(await notifyAndDrain()).toEqual(['/file']);
    const created = await admin.create({ type: 'webhook', name: 'ops', url: `${base}/one` });
    expect(await notifyAndDrain()).toEqual(['/file', '/one']);
    await admin.update(created.id, { url: `${base}/two` });
    expect(await notifyAndDrain()).toEqual(['/file', '/two']);
    await admin.update(created.id, { events: ['recovered'] });
    expect(await notifyAndDrain()).toEqual(['/file']);
    await admin.update(created.id, { events: null });
    await admin.remove(created.id);
    expect(await notifyAndDrain()).toEqual(['/file']);
  });

  it('refuses a webhook at an address the outbound policy never reaches, naming url', async () => {
    for (const [index, url] of [
      'http://169.254.169.254/hook',
      'http://2852039166/hook',
      'http://10.0.0.7/hook',
      'http://[::1]:8080/hook',
    ].entries()) {
      const refused = await admin.create({ type: 'webhook', name: `bad-${index}`, url }).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(InvalidParameterException);
      expect((refused as InvalidParameterException).getResponse()).toMatchObject({
        field: 'url',
        message: expect.stringContaining('outbound address policy'),
      });
    }
    // 127.0.0.1 is listed in PRIVATE_NETWORK_HOSTS here, so a receiver there is accepted.
    await expect(admin.create({ type: 'webhook', name: 'listed', url: `${base}/listed` })).resolves.toMatchObject({ name: 'listed' });
    expect(await admin.list()).toHaveLength(2);
  });

  it('loads stored channels at start-up', async () => {
    await admin.create({ type: 'wecom', name: 'wx', url: `${base}/wx?key=k` });
    const restarted = new NotificationService(
      loadConfig({ PRIVATE_NETWORK_HOSTS: '127.0.0.1' } as NodeJS.ProcessEnv),
      FAST,
      new NotificationChannelRepository(db.prisma),
    );
    await restarted.onModuleInit();
    paths.length = 0;
    restarted.notify({
      kind: 'down',
      mirror: { id: 'boot', name: 'b', url: 'https://b.example', visibility: 'public', upstream: 'docker.io' },
      status: 'down',
      failureClass: 'dns',
      detail: null,
      at: new Date(),
    });
    await restarted.drained();
    expect(paths).toEqual(['/wx']);
  });

  it('keeps file and admin names apart and reports unknown ids', async () => {
    await expect(admin.create({ type: 'webhook', name: 'from-file', url: `${base}/x` })).rejects.toThrow(ConflictException);
    const created = await admin.create({ type: 'webhook', name: 'ops', url: `${base}/x` });
    await expect(admin.create({ type: 'slack', name: 'ops', url: `${base}/y` })).rejects.toThrow(ConflictException);
    await expect(admin.update(created.id, { name: 'from-file' })).rejects.toThrow(ConflictException);
    await expect(admin.update('no-such-id', { name: 'x' })).rejects.toThrow(NotFoundException);
    await expect(admin.remove('file:nope')).rejects.toThrow(NotFoundException);
    await expect(admin.test('file:nope')).rejects.toThrow(NotFoundException);
  });

  it('lists a stored row that fails the schema, never sends to it, refuses to change or test it, and deletes it', async () => {
    const row = await db.prisma.client.notificationChannel.create({ data: { name: 'broken', type: 'teams', url: `${base}/broken` } });
    await notifications.reloadAdminChannels();
    expect((await admin.list()).find((c) => c.name === 'broken')).toMatchObject({ id: row.id, source: 'admin', type: 'teams' });
    expect(await notifyAndDrain()).toEqual(['/file']);
    await expect(admin.update(row.id, { name: 'fixed' })).rejects.toThrow(/stored channel .*type/);
    await expect(admin.test(row.id)).rejects.toThrow(ConflictException);
    await admin.remove(row.id);
    expect((await admin.list()).map((c) => c.name)).toEqual(['from-file']);
  });
});
