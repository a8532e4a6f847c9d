import { describe, expect, it } from 'vitest';
import type { MirrorStateRecord } from './mirror-state.repository.js';
import { NotificationChannelConflictError, type NotificationChannelData } from './notification-channel.repository.js';
import { deepProbe, failedProbe, lightProbe } from './testing/probe-result.fixture.js';
import { REPOSITORY_PROVIDERS, T0, at, mirror, repositorySuite, stateRecord } from './testing/repository-suite.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';
import { VantageRepository } from './vantage.repository.js';

/** What is derived from probes (state, incidents, rollups) and what admins store (channels, recommendations). Both providers. */
describe.each(REPOSITORY_PROVIDERS)('state, rollup and settings repositories on $label', ({ provider, skip }) => {
  const repos = repositorySuite(provider, skip);

  describe.skipIf(skip)('MirrorStateRepository', () => {
    it('upserts and reads the hysteresis state', async () => {
      await repos.mirrors.syncCatalog([mirror('a'), mirror('b')]);
      expect(await repos.states.get('a')).toBeNull();
      const down = stateRecord('a');
      expect(await repos.states.upsert(down)).toEqual(down);
      const degraded: MirrorStateRecord = {
        ...down,
        status: 'degraded',
        degradedReason: 'stale',
        consecutiveFailures: 0,
        consecutiveSuccesses: 3,
        retryNotBefore: null,
        lastDigest: 'sha256:bb',
        lastDigestChangeAt: at(9),
      };
      await repos.states.upsert(degraded);
      await repos.states.upsert(stateRecord('b'));
      expect(await repos.states.get('a')).toEqual(degraded);
      expect([...(await repos.states.getAll()).keys()]).toEqual(['a', 'b']);
      // Read by raw SQL: the dates and counts come back as the model API's get gives them.
      expect((await repos.states.getAll()).get('a')).toEqual(degraded);
    });
  });

  describe.skipIf(skip)('IncidentRepository', () => {
    it('opens once, closes, and lists by mirror and window', async () => {
      await repos.mirrors.syncCatalog([mirror('a'), mirror('b')]);
      const old = await repos.incidents.openIncident({ mirrorId: 'b', startedAt: at(-600), failureClass: 'tls', detail: 'expired' });
      await repos.incidents.closeIncident('b', at(-500));
      const first = await repos.incidents.openIncident({ mirrorId: 'a', startedAt: at(1), failureClass: 'dns', detail: 'NXDOMAIN' });
      const again = await repos.incidents.openIncident({ mirrorId: 'a', startedAt: at(2), failureClass: 'timeout', detail: null });
      expect(again).toEqual(first);
      expect(await repos.incidents.openIncidents()).toEqual([first]);

      const closed = await repos.incidents.closeIncident('a', at(5));
      expect(closed).toEqual({ ...first, endedAt: at(5) });
      expect(await repos.incidents.closeIncident('a', at(6))).toBeNull();
      expect(await repos.incidents.openIncidents()).toEqual([]);

      expect((await repos.incidents.listForMirror('b')).map((i) => i.id)).toEqual([old.id]);
      expect((await repos.incidents.listSince(at(0))).map((i) => i.mirrorId)).toEqual(['a']);
      expect((await repos.incidents.listSince(at(-550))).map((i) => i.mirrorId)).toEqual(['a', 'b']);
    });

    it("keeps each vantage's incidents apart: one open per mirror and vantage, local by default", async () => {
      await repos.mirrors.syncCatalog([mirror('a')]);
      await repos.db.prisma.client.vantage.create({ data: { id: 'remote', name: 'Remote' } });
      const local = await repos.incidents.openIncident({ mirrorId: 'a', startedAt: at(1), failureClass: 'dns', detail: null });
      const remote = await repos.incidents.openIncident(
        { mirrorId: 'a', startedAt: at(2), failureClass: 'timeout', detail: null },
        'remote',
      );
      expect([local.vantageId, remote.vantageId]).toEqual(['local', 'remote']);
      expect(await repos.incidents.closeIncident('a', at(3))).toEqual({ ...local, endedAt: at(3) });
      expect(await repos.incidents.openIncidents('remote')).toEqual([remote]);
      expect(await repos.incidents.list({ mirrorIds: ['a'], vantageId: 'remote', limit: 10 })).toEqual([remote]);
      expect((await repos.incidents.listSince(at(0))).map((i) => i.id)).toEqual([local.id]);
    });
  });

  describe.skipIf(skip)('RollupRepository', () => {
    it('rolls raw probes up into hourly and daily buckets, idempotently', async () => {
      await repos.mirrors.syncCatalog([mirror('a')]);
      const timings = lightProbe(T0).timings;
      await repos.probes.insert(
        'a',
        LOCAL_VANTAGE_ID,
        lightProbe(at(5), { timings: { ...timings, dnsMs: 3, connectMs: 12, pingTtfbMs: 35, manifestMs: 100 } }),
      );
      await repos.probes.insert(
        'a',
        LOCAL_VANTAGE_ID,
        lightProbe(at(15), { timings: { ...timings, dnsMs: 1, tlsMs: null, tokenMs: null, manifestMs: 300 } }),
      );
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(25), 'timeout'));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(70), 5000));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(80), 7000));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(90), 900_000));

      expect(await repos.rollups.rollUp('hour', at(0), at(120))).toBe(2);
      expect(await repos.rollups.rollUp('hour', at(0), at(120))).toBe(2);
      const hourly = await repos.rollups.list('a', 'hour', at(-60), LOCAL_VANTAGE_ID);
      const phases = { dnsP50Ms: 1.25, connectP50Ms: 10, tlsP50Ms: 20, pingTtfbP50Ms: 30, tokenP50Ms: 40 };
      expect(hourly).toEqual([
        {
          mirrorId: 'a',
          vantageId: 'local',
          granularity: 'hour',
          bucketStart: at(0),
          probes: 3,
          successes: 2,
          manifestP50Ms: 100,
          manifestP95Ms: 300,
          // Nearest-rank medians of the two successes; TLS and token ran only in the first.
          dnsP50Ms: 1,
          connectP50Ms: 10,
          tlsP50Ms: 20,
          pingTtfbP50Ms: 30,
          tokenP50Ms: 40,
          throughputP50BytesPerSec: null,
          failures: { timeout: 1 },
        },
        {
          mirrorId: 'a',
          vantageId: 'local',
          granularity: 'hour',
          bucketStart: at(60),
          probes: 3,
          successes: 3,
          manifestP50Ms: 50,
          manifestP95Ms: 50,
          ...phases,
          throughputP50BytesPerSec: 7000,
          failures: {},
        },
      ]);
      expect(await repos.rollups.list('a', 'hour', at(30), LOCAL_VANTAGE_ID)).toHaveLength(1);

      // A later probe in an already rolled-up bucket is picked up by the next run, its failure class too.
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(30), 'dns'));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(35), 'timeout'));
      await repos.rollups.rollUp('hour', at(0), at(60));
      expect((await repos.rollups.list('a', 'hour', at(0), LOCAL_VANTAGE_ID))[0]).toMatchObject({
        probes: 5,
        successes: 2,
        failures: { dns: 1, timeout: 2 },
      });

      expect(await repos.rollups.rollUp('day', at(0), at(1))).toBe(1);
      expect(await repos.rollups.list('a', 'day', new Date('2026-03-01T00:00:00Z'), LOCAL_VANTAGE_ID)).toEqual([
        expect.objectContaining({
          bucketStart: new Date('2026-03-01T00:00:00Z'),
          probes: 8,
          successes: 5,
          manifestP50Ms: 50,
          manifestP95Ms: 300,
          dnsP50Ms: 1.25,
          connectP50Ms: 10,
          throughputP50BytesPerSec: 7000,
          failures: { dns: 1, timeout: 2 },
        }),
      ]);
      expect(await repos.rollups.rollUp('hour', at(60), at(60))).toBe(0);
    });

    it('refuses to read a corrupt failure count column rather than dropping failures', async () => {
      await repos.mirrors.syncCatalog([mirror('a')]);
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(5), 'dns'));
      await repos.rollups.rollUp('hour', at(0), at(60));
      await repos.db.prisma.client.probeRollup.updateMany({ data: { failureCounts: 'dns:two' } });
      await expect(repos.rollups.list('a', 'hour', at(0), LOCAL_VANTAGE_ID)).rejects.toThrow(/malformed failure count/);
    });
  });

  describe.skipIf(skip)('NotificationChannelRepository', () => {
    const hook: NotificationChannelData = {
      name: 'ops',
      type: 'dingtalk',
      url: 'https://oapi.dingtalk.com/robot/send?access_token=t',
      secret: 'SECx',
      format: null,
      events: ['down', 'recovered'],
    };

    it('creates with a generated id, round-trips every column and keeps the event list in order', async () => {
      const created = await repos.channels.create(hook);
      expect(created).toEqual({ ...hook, id: created.id, createdAt: created.createdAt, updatedAt: created.updatedAt });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await repos.channels.findById(created.id)).toEqual(created);
      const all = await repos.channels.create({
        name: 'all-events',
        type: 'feishu',
        url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x',
        secret: null,
        format: 'card',
        events: null,
      });
      expect(all).toMatchObject({ secret: null, format: 'card', events: null });
      // The list is raw SQL and the rest the model API: every column, dates included, reads back the same.
      expect(await repos.channels.list()).toEqual([all, created]);
    });

    it('reports a taken name as a conflict on create and on replace', async () => {
      const first = await repos.channels.create(hook);
      await expect(repos.channels.create({ ...hook, url: 'https://elsewhere.test/hook' })).rejects.toThrow(
        NotificationChannelConflictError,
      );
      const second = await repos.channels.create({ ...hook, name: 'other' });
      await expect(repos.channels.replace(second.id, { ...hook })).rejects.toThrow(NotificationChannelConflictError);
      expect(await repos.channels.findById(first.id)).toMatchObject({ name: 'ops' });
    });

    it('replaces every column, clearing optional ones, and deletes; absences are null/false', async () => {
      const created = await repos.channels.create(hook);
      const replaced = await repos.channels.replace(created.id, {
        name: 'ops2',
        type: 'webhook',
        url: 'https://example.test/hook',
        secret: null,
        format: null,
        events: ['stale'],
      });
      expect(replaced).toMatchObject({
        id: created.id,
        name: 'ops2',
        type: 'webhook',
        secret: null,
        events: ['stale'],
        createdAt: created.createdAt,
      });
      expect(replaced!.updatedAt.getTime()).toBeGreaterThanOrEqual(created.updatedAt.getTime());
      expect(await repos.channels.replace('00000000-0000-0000-0000-000000000000', hook)).toBeNull();
      expect(await repos.channels.delete(created.id)).toBe(true);
      expect(await repos.channels.delete(created.id)).toBe(false);
      expect(await repos.channels.findById(created.id)).toBeNull();
    });

    it('refuses event names that would corrupt the comma-separated column', async () => {
      await expect(repos.channels.create({ ...hook, events: ['down,up'] })).rejects.toThrow(TypeError);
      expect(await repos.channels.list()).toEqual([]);
    });
  });

  describe.skipIf(skip)('RecommendationRepository', () => {
    it('stores lists per scope and count, replaces changed ones, and round-trips order and timestamps', async () => {
      expect(await repos.recommendations.loadAll()).toEqual([]);
      const publicTwo = {
        scope: 'public' as const,
        count: 2,
        mirrors: ['https://b.example.test', 'https://a.example.test'],
        updatedAt: at(1),
      };
      const adminOne = { scope: 'admin' as const, count: 1, mirrors: ['https://private.example.test:5000'], updatedAt: at(1) };
      const publicOneEmpty = { scope: 'public' as const, count: 1, mirrors: [], updatedAt: at(1) };
      await repos.recommendations.saveChanged([publicTwo, adminOne, publicOneEmpty]);
      expect(await repos.recommendations.loadAll()).toEqual([adminOne, publicOneEmpty, publicTwo]);

      const replaced = { ...publicTwo, mirrors: ['https://a.example.test'], updatedAt: at(5) };
      await repos.recommendations.saveChanged([replaced]);
      await repos.recommendations.saveChanged([]);
      expect(await repos.recommendations.loadAll()).toEqual([adminOne, publicOneEmpty, replaced]);
    });

    it('keeps the last of two changes to one list given in one call (one statement updates a row once)', async () => {
      const first = { scope: 'public' as const, count: 2, mirrors: ['https://a.example.test'], updatedAt: at(1) };
      const second = { ...first, mirrors: ['https://b.example.test', 'https://a.example.test'], updatedAt: at(2) };
      await repos.recommendations.saveChanged([first, second]);
      expect(await repos.recommendations.loadAll()).toEqual([second]);
    });

    it("keeps each vantage's lists apart, the local vantage's by default", async () => {
      await repos.db.prisma.client.vantage.create({ data: { id: 'remote', name: 'Remote' } });
      const local = { scope: 'public' as const, count: 1, mirrors: ['https://a.example.test'], updatedAt: at(1) };
      const remote = { ...local, mirrors: ['https://b.example.test'] };
      await repos.recommendations.saveChanged([local]);
      await repos.recommendations.saveChanged([remote], 'remote');
      expect(await repos.recommendations.loadAll()).toEqual([local]);
      expect(await repos.recommendations.loadAll('remote')).toEqual([remote]);
    });

    it('leaves out rows it cannot read instead of serving them', async () => {
      await repos.db.prisma.client.recommendation.createMany({
        data: [
          { scope: 'public', count: 3, mirrors: 'not json', updatedAt: at(0) },
          { scope: 'public', count: 4, mirrors: '[1, 2]', updatedAt: at(0) },
          { scope: 'elsewhere', count: 1, mirrors: '[]', updatedAt: at(0) },
          { scope: 'admin', count: 3, mirrors: '["https://a.example.test"]', updatedAt: at(0) },
        ],
      });
      expect(await repos.recommendations.loadAll()).toEqual([
        { scope: 'admin', count: 3, mirrors: ['https://a.example.test'], updatedAt: at(0) },
      ]);
    });
  });

  describe.skipIf(skip)('VantageRepository', () => {
    it('lists every vantage by id with its columns as stored, revoked ones included', async () => {
      const vantages = new VantageRepository(repos.db.prisma);
      const beijing = await vantages.create({ id: 'cn-bj', name: 'Beijing', notes: 'ISP A' });
      const shanghai = await vantages.create({ id: 'cn-sh', name: 'Shanghai', notes: null });
      expect(await vantages.revoke('cn-sh', at(3))).toBe(true);
      const listed = await vantages.list();
      // The list is raw SQL and create the model API: ids in order, dates as Dates, nulls as nulls.
      expect(listed.map((vantage) => vantage.id)).toEqual(['cn-bj', 'cn-sh', LOCAL_VANTAGE_ID].sort());
      expect(listed.find((vantage) => vantage.id === 'cn-bj')).toEqual(beijing);
      expect(listed.find((vantage) => vantage.id === 'cn-sh')).toEqual({ ...shanghai, revokedAt: at(3) });
      expect(await vantages.findById('cn-sh')).toEqual({ ...shanghai, revokedAt: at(3) });
    });
  });

  // Connection settings only SQLite has (prisma-client.factory.ts); PostgreSQL enforces foreign keys always.
  if (provider === 'sqlite')
    it('runs SQLite in WAL mode with foreign keys on', async () => {
      const [journal] = await repos.db.prisma.client.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      const [foreignKeys] = await repos.db.prisma.client.$queryRawUnsafe<{ foreign_keys: number | bigint }[]>('PRAGMA foreign_keys');
      expect(journal?.journal_mode).toBe('wal');
      expect(Number(foreignKeys?.foreign_keys)).toBe(1);
    });
});
