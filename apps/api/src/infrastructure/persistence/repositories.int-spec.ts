import type { MirrorDefinition } from '@mirrorwatch/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseProvider } from './database-url.js';
import { IncidentRepository } from './incident.repository.js';
import { MirrorStateRepository, type MirrorStateRecord } from './mirror-state.repository.js';
import { MirrorConflictError, MirrorRepository } from './mirror.repository.js';
import {
  NotificationChannelConflictError,
  NotificationChannelRepository,
  type NotificationChannelData,
} from './notification-channel.repository.js';
import { ProbeRepository } from './probe.repository.js';
import { ProbeOutcomeRepository } from './probe-outcome.repository.js';
import { RecommendationRepository } from './recommendation.repository.js';
import { RollupRepository } from './rollup.repository.js';
import { postgresForTests } from './testing/postgres-test-server.js';
import { deepProbe, failedProbe, lightProbe } from './testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from './testing/test-database.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';

const postgres = postgresForTests();
const pgBinaries = postgres.binaries;
const PROVIDERS: { provider: DatabaseProvider; skip: boolean; label: string }[] = [
  { provider: 'sqlite', skip: false, label: 'sqlite' },
  { provider: 'postgresql', skip: postgres.skip, label: `postgresql${postgres.label}` },
];

const T0 = new Date('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

function mirror(id: string, overrides: Partial<MirrorDefinition> = {}): MirrorDefinition {
  return {
    id,
    name: `Mirror ${id}`,
    url: `https://${id}.example.test`,
    provider: null,
    notes: null,
    visibility: 'public',
    caPath: null,
    ...overrides,
  };
}

describe.each(PROVIDERS)('repositories on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  let mirrors: MirrorRepository;
  let probes: ProbeRepository;
  let states: MirrorStateRepository;
  let incidents: IncidentRepository;
  let rollups: RollupRepository;
  let channels: NotificationChannelRepository;
  let recommendations: RecommendationRepository;

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, pgBinaries);
    mirrors = new MirrorRepository(db.prisma);
    probes = new ProbeRepository(db.prisma);
    states = new MirrorStateRepository(db.prisma);
    incidents = new IncidentRepository(db.prisma);
    rollups = new RollupRepository(db.prisma);
    channels = new NotificationChannelRepository(db.prisma);
    recommendations = new RecommendationRepository(db.prisma);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db?.reset();
  });

  describe.skipIf(skip)('MirrorRepository', () => {
    it('syncs the catalog: creates, updates, disables the removed, leaves admin mirrors alone', async () => {
      await mirrors.create(mirror('admin-one'));
      expect(await mirrors.syncCatalog([mirror('a'), mirror('b')])).toEqual({ created: 2, updated: 0, disabled: 0, skippedAdminOwned: [] });

      const second = await mirrors.syncCatalog([
        mirror('a', { name: 'Renamed', notes: 'n' }),
        mirror('admin-one', { url: 'https://other.test' }),
      ]);
      expect(second).toEqual({ created: 0, updated: 1, disabled: 1, skippedAdminOwned: ['admin-one'] });
      expect((await mirrors.listEnabled()).map((m) => m.id)).toEqual(['a', 'admin-one']);
      expect(await mirrors.findById('a')).toMatchObject({ name: 'Renamed', notes: 'n', source: 'catalog', enabled: true });
      expect(await mirrors.findById('b')).toMatchObject({ enabled: false, source: 'catalog' });
      expect(await mirrors.findById('admin-one')).toMatchObject({ url: 'https://admin-one.example.test', source: 'admin' });

      // A mirror that comes back to the catalog is enabled again.
      expect(await mirrors.syncCatalog([mirror('a'), mirror('b')])).toMatchObject({ updated: 2, disabled: 0 });
      expect((await mirrors.listEnabled()).map((m) => m.id)).toEqual(['a', 'admin-one', 'b']);
      // A restart with the same catalog writes nothing (the start-up transaction stays one read).
      expect(await mirrors.syncCatalog([mirror('a'), mirror('b')])).toEqual({ created: 0, updated: 0, disabled: 0, skippedAdminOwned: [] });
    });

    it('gives private catalog mirrors a random stored id, never the URL slug, and moves a slug id with its history', async () => {
      const slugId = 'secret-accelerator-example-test';
      const privateEntry = mirror(slugId, { url: 'https://secret-accelerator.example.test', visibility: 'private' });
      await mirrors.syncCatalog([mirror('a'), { ...privateEntry, visibility: 'public' }]);
      await probes.insert(slugId, LOCAL_VANTAGE_ID, lightProbe(at(1)));
      await incidents.openIncident({ mirrorId: slugId, startedAt: at(1), failureClass: 'dns', detail: null });

      await mirrors.syncCatalog([mirror('a'), privateEntry]);
      const privateIds = (await mirrors.listAll()).filter((m) => m.visibility === 'private').map((m) => m.id);
      expect(privateIds).toHaveLength(1);
      const [newId] = privateIds as [string];
      expect(newId).toMatch(/^private-[0-9a-f]{16}$/);
      expect(newId).not.toContain('secret');
      expect(await mirrors.findById(slugId)).toBeNull();
      expect((await probes.recent(newId, 10)).length).toBe(1);
      expect((await incidents.listForMirror(newId)).length).toBe(1);

      // Stable across restarts: the next sync finds it by URL.
      await mirrors.syncCatalog([mirror('a'), privateEntry]);
      expect((await mirrors.listAll()).filter((m) => m.visibility === 'private').map((m) => m.id)).toEqual([newId]);
      // Two databases never derive the same id from the same URL.
      await db.reset();
      await mirrors.syncCatalog([privateEntry]);
      expect((await mirrors.listAll()).map((m) => m.id)).not.toContain(newId);
    });

    it('creates, updates and deletes admin mirrors, with conflicts and absences reported', async () => {
      const created = await mirrors.create(mirror('x', { caPath: '/etc/ca.pem', provider: 'ACME' }));
      expect(created).toMatchObject({ id: 'x', caPath: '/etc/ca.pem', provider: 'ACME', source: 'admin', enabled: true });
      expect(created.createdAt).toBeInstanceOf(Date);
      await expect(mirrors.create(mirror('x', { url: 'https://elsewhere.test' }))).rejects.toThrow(MirrorConflictError);
      await expect(mirrors.create(mirror('y', { url: 'https://x.example.test' }))).rejects.toThrow(MirrorConflictError);

      expect(await mirrors.update('x', { enabled: false, notes: 'paused' })).toMatchObject({ enabled: false, notes: 'paused' });
      expect(await mirrors.update('missing', { name: 'n' })).toBeNull();
      expect(await mirrors.listEnabled()).toEqual([]);
      expect((await mirrors.listAll()).map((m) => m.id)).toEqual(['x']);

      expect(await mirrors.delete('x')).toBe(true);
      expect(await mirrors.delete('x')).toBe(false);
      expect(await mirrors.findById('x')).toBeNull();
    });

    it('cascades a mirror delete to probes, incidents, rollups and state', async () => {
      await mirrors.create(mirror('gone'));
      await probes.insert('gone', LOCAL_VANTAGE_ID, lightProbe(at(1)));
      await incidents.openIncident({ mirrorId: 'gone', startedAt: at(1), failureClass: 'dns', detail: null });
      await rollups.rollUp('hour', at(0), at(60));
      await states.upsert(stateRecord('gone'));
      await mirrors.delete('gone');
      const client = db.prisma.client;
      expect(
        await Promise.all([client.probe.count(), client.incident.count(), client.probeRollup.count(), client.mirrorState.count()]),
      ).toEqual([0, 0, 0, 0]);
    });
  });

  describe.skipIf(skip)('ProbeOutcomeRepository', () => {
    beforeEach(async () => {
      await mirrors.syncCatalog([mirror('a')]);
    });

    it('stores probe rows, state and an opened incident together, then closes it with the next outcome', async () => {
      const outcomes = new ProbeOutcomeRepository(db.prisma);
      await outcomes.commit({
        mirrorId: 'a',
        vantageId: LOCAL_VANTAGE_ID,
        probes: [{ result: failedProbe(at(1), 'dns'), repository: 'library/alpine' }],
        state: stateRecord('a'),
        incident: { kind: 'open', incident: { mirrorId: 'a', startedAt: at(1), failureClass: 'dns', detail: 'nxdomain' } },
      });
      // A replayed "went down" keeps the one open incident.
      await outcomes.commit({
        mirrorId: 'a',
        vantageId: LOCAL_VANTAGE_ID,
        probes: [],
        state: stateRecord('a'),
        incident: { kind: 'open', incident: { mirrorId: 'a', startedAt: at(2), failureClass: 'dns', detail: null } },
      });
      expect((await incidents.openIncidents()).map((i) => i.startedAt)).toEqual([at(1)]);
      await outcomes.commit({
        mirrorId: 'a',
        vantageId: LOCAL_VANTAGE_ID,
        probes: [{ result: lightProbe(at(3)), repository: 'library/alpine' }],
        state: { ...stateRecord('a'), status: 'up' },
        incident: { kind: 'close', mirrorId: 'a', endedAt: at(3) },
      });
      expect(await incidents.openIncidents()).toEqual([]);
      expect((await incidents.listForMirror('a'))[0]?.endedAt).toEqual(at(3));
      expect((await probes.recent('a', 10)).length).toBe(2);
      expect((await states.get('a'))?.status).toBe('up');
    });

    it('writes nothing when any part fails: no probe row without its state and incident', async () => {
      const outcomes = new ProbeOutcomeRepository(db.prisma);
      await expect(
        outcomes.commit({
          mirrorId: 'a',
          vantageId: LOCAL_VANTAGE_ID,
          probes: [{ result: failedProbe(at(1), 'dns'), repository: 'library/alpine' }],
          state: stateRecord('a'),
          // A mirror that does not exist: the incident insert fails on its foreign key, last in the transaction.
          incident: { kind: 'open', incident: { mirrorId: 'missing', startedAt: at(1), failureClass: 'dns', detail: null } },
        }),
      ).rejects.toThrow();
      expect(await probes.recent('a', 10)).toEqual([]);
      expect(await states.get('a')).toBeNull();
    });

    it('groups outcomes handed over together into one write, and a bad one fails alone', async () => {
      await mirrors.syncCatalog([mirror('a'), mirror('b')]);
      const outcomes = new ProbeOutcomeRepository(db.prisma);
      const good = (id: string, minute: number) => ({
        mirrorId: id,
        vantageId: LOCAL_VANTAGE_ID,
        probes: [{ result: lightProbe(at(minute)), repository: 'library/alpine' }],
        state: { ...stateRecord(id), status: 'up' as const },
        incident: null,
      });
      const bad = {
        ...good('a', 2),
        incident: {
          kind: 'open' as const,
          incident: { mirrorId: 'missing', startedAt: at(2), failureClass: 'dns' as const, detail: null },
        },
      };
      // Same turn of the event loop: one group; the bad outcome makes the grouped transaction fail, then each is retried alone.
      const settled = await Promise.allSettled([outcomes.commit(good('a', 1)), outcomes.commit(bad), outcomes.commit(good('b', 3))]);
      expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((await probes.recent('a', 10)).map((p) => p.startedAt)).toEqual([at(1)]);
      expect((await probes.recent('b', 10)).map((p) => p.startedAt)).toEqual([at(3)]);
      expect((await states.get('b'))?.status).toBe('up');
    });
  });

  describe.skipIf(skip)('ProbeRepository', () => {
    beforeEach(async () => {
      await mirrors.syncCatalog([mirror('a'), mirror('b'), mirror('c')]);
    });

    it('round-trips a deep ProbeResult and a failed one exactly, millisecond dates included', async () => {
      const deep = deepProbe(new Date('2026-03-01T10:00:00.123Z'), 4_200_000.5);
      const failed = failedProbe(new Date('2026-03-01T10:01:00.456Z'), 'rate_limited', { retryAfterSeconds: 30 });
      const storedDeep = await probes.insert('a', LOCAL_VANTAGE_ID, deep);
      const storedFailed = await probes.insert('a', LOCAL_VANTAGE_ID, failed, 'library/alpine');
      expect(storedDeep).toEqual({ ...deep, id: storedDeep.id, mirrorId: 'a', vantageId: 'local', repository: 'library/alpine' });
      expect(storedFailed).toEqual({ ...failed, id: storedFailed.id, mirrorId: 'a', vantageId: 'local', repository: 'library/alpine' });
      const recent = await probes.recent('a', 10);
      expect(recent).toEqual([storedFailed, storedDeep]);
      expect(recent[1]!.startedAt.toISOString()).toBe('2026-03-01T10:00:00.123Z');
    });

    it('keeps repository null when unknown and returns recent probes newest first, limited', async () => {
      const stored = await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(0), 'dns'));
      expect(stored.repository).toBeNull();
      for (const minute of [1, 2, 3]) await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(minute)));
      expect((await probes.recent('a', 2)).map((p) => p.startedAt)).toEqual([at(3), at(2)]);
      expect((await probes.between('a', at(1), at(3))).map((p) => p.startedAt)).toEqual([at(1), at(2)]);
    });

    it('finds the latest probe per mirror, optionally for one repository', async () => {
      await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(1)));
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(2), 'forbidden'), 'someone/else');
      await probes.insert('b', LOCAL_VANTAGE_ID, failedProbe(at(3), 'timeout'));
      const latest = await probes.latestByMirror();
      expect([...latest.keys()].sort()).toEqual(['a', 'b']);
      expect(latest.get('a')?.failureClass).toBe('forbidden');
      const mainImage = await probes.latestByMirror({ repository: 'library/alpine' });
      expect(mainImage.get('a')?.startedAt).toEqual(at(1));
      expect(mainImage.has('b')).toBe(false);
      // One statement for every mirror (raw SQL): the same records, field by field, as Prisma's own reads.
      expect(latest.get('a')).toEqual((await probes.recent('a', 1))[0]);
      expect(latest.get('b')).toEqual((await probes.recent('b', 1))[0]);
      const anyOf = await probes.latestByMirror({ repository: { in: ['someone/else', 'library/alpine'] }, kind: 'light' });
      expect(anyOf.get('a')?.startedAt).toEqual(at(2));
      expect(anyOf.has('b')).toBe(false);
      expect((await probes.latestByMirror({ repository: { in: [] } })).size).toBe(0);
      expect((await probes.latestByMirror({ kind: 'deep' })).size).toBe(0);
      expect((await probes.latestByMirror({ vantageId: 'elsewhere' })).size).toBe(0);
    });

    it('computes latencies, success counts and failure counts over a window', async () => {
      await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(-120), { timings: { ...lightProbe(at(0)).timings, manifestMs: 999 } }));
      await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(1), { timings: { ...lightProbe(at(0)).timings, manifestMs: 80 } }));
      await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(2), { timings: { ...lightProbe(at(0)).timings, manifestMs: 40 } }));
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(3), 'integrity'));
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(4), 'forbidden'), 'other/repo');
      await probes.insert('b', LOCAL_VANTAGE_ID, failedProbe(at(5), 'integrity'));

      expect(await probes.manifestLatenciesSince(at(0))).toEqual(new Map([['a', [80, 40]]]));
      expect(await probes.successCountsSince(at(0))).toEqual(
        new Map([
          ['a', { probes: 4, successes: 2 }],
          ['b', { probes: 1, successes: 0 }],
        ]),
      );
      expect((await probes.successCountsSince(at(0), { repository: 'library/alpine' })).get('a')).toEqual({ probes: 2, successes: 2 });
      expect(await probes.failureCountsSince(at(0), 'integrity')).toEqual(
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
      );
      expect(await probes.failureCountsSince(at(0), 'integrity', { vantageId: 'elsewhere' })).toEqual(new Map());
    });

    it('finds the latest successful deep probe', async () => {
      await probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(1), 1000));
      await probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(2), 2000));
      await probes.insert('a', LOCAL_VANTAGE_ID, { ...deepProbe(at(3), 3000), ok: false, failureClass: 'integrity' });
      await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(4)));
      expect((await probes.latestSuccessfulDeep('a'))?.blob?.throughputBytesPerSec).toBe(2000);
      expect(await probes.latestSuccessfulDeep('b')).toBeNull();
      const byMirror = await probes.latestSuccessfulDeepByMirror(['a', 'b']);
      expect([...byMirror.keys()]).toEqual(['a']);
      expect(byMirror.get('a')).toEqual(await probes.latestSuccessfulDeep('a'));
      expect((await probes.latestSuccessfulDeepByMirror(['b'])).size).toBe(0);
    });

    it('deletes raw probes older than a cutoff in batches of at most the limit', async () => {
      for (const minute of [0, 1, 2, 10, 20]) await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(minute)));
      expect(await probes.deleteOlderThanBatch(at(10), 2)).toBe(2);
      expect(await probes.deleteOlderThanBatch(at(10), 2)).toBe(1);
      expect(await probes.deleteOlderThanBatch(at(10), 2)).toBe(0);
      expect((await probes.recent('a', 10)).map((p) => p.startedAt)).toEqual([at(20), at(10)]);
    });
  });

  describe.skipIf(skip)('MirrorStateRepository', () => {
    it('upserts and reads the hysteresis state', async () => {
      await mirrors.syncCatalog([mirror('a'), mirror('b')]);
      expect(await states.get('a')).toBeNull();
      const down = stateRecord('a');
      expect(await states.upsert(down)).toEqual(down);
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
      await states.upsert(degraded);
      await states.upsert(stateRecord('b'));
      expect(await states.get('a')).toEqual(degraded);
      expect([...(await states.getAll()).keys()]).toEqual(['a', 'b']);
    });
  });

  describe.skipIf(skip)('IncidentRepository', () => {
    it('opens once, closes, and lists by mirror and window', async () => {
      await mirrors.syncCatalog([mirror('a'), mirror('b')]);
      const old = await incidents.openIncident({ mirrorId: 'b', startedAt: at(-600), failureClass: 'tls', detail: 'expired' });
      await incidents.closeIncident('b', at(-500));
      const first = await incidents.openIncident({ mirrorId: 'a', startedAt: at(1), failureClass: 'dns', detail: 'NXDOMAIN' });
      const again = await incidents.openIncident({ mirrorId: 'a', startedAt: at(2), failureClass: 'timeout', detail: null });
      expect(again).toEqual(first);
      expect(await incidents.openIncidents()).toEqual([first]);

      const closed = await incidents.closeIncident('a', at(5));
      expect(closed).toEqual({ ...first, endedAt: at(5) });
      expect(await incidents.closeIncident('a', at(6))).toBeNull();
      expect(await incidents.openIncidents()).toEqual([]);

      expect((await incidents.listForMirror('b')).map((i) => i.id)).toEqual([old.id]);
      expect((await incidents.listSince(at(0))).map((i) => i.mirrorId)).toEqual(['a']);
      expect((await incidents.listSince(at(-550))).map((i) => i.mirrorId)).toEqual(['a', 'b']);
    });

    it("keeps each vantage's incidents apart: one open per mirror and vantage, local by default", async () => {
      await mirrors.syncCatalog([mirror('a')]);
      await db.prisma.client.vantage.create({ data: { id: 'remote', name: 'Remote' } });
      const local = await incidents.openIncident({ mirrorId: 'a', startedAt: at(1), failureClass: 'dns', detail: null });
      const remote = await incidents.openIncident({ mirrorId: 'a', startedAt: at(2), failureClass: 'timeout', detail: null }, 'remote');
      expect([local.vantageId, remote.vantageId]).toEqual(['local', 'remote']);
      expect(await incidents.closeIncident('a', at(3))).toEqual({ ...local, endedAt: at(3) });
      expect(await incidents.openIncidents('remote')).toEqual([remote]);
      expect(await incidents.list({ mirrorIds: ['a'], vantageId: 'remote', limit: 10 })).toEqual([remote]);
      expect((await incidents.listSince(at(0))).map((i) => i.id)).toEqual([local.id]);
    });
  });

  describe.skipIf(skip)('RollupRepository', () => {
    it('rolls raw probes up into hourly and daily buckets, idempotently', async () => {
      await mirrors.syncCatalog([mirror('a')]);
      const timings = lightProbe(T0).timings;
      await probes.insert(
        'a',
        LOCAL_VANTAGE_ID,
        lightProbe(at(5), { timings: { ...timings, dnsMs: 3, connectMs: 12, pingTtfbMs: 35, manifestMs: 100 } }),
      );
      await probes.insert(
        'a',
        LOCAL_VANTAGE_ID,
        lightProbe(at(15), { timings: { ...timings, dnsMs: 1, tlsMs: null, tokenMs: null, manifestMs: 300 } }),
      );
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(25), 'timeout'));
      await probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(70), 5000));
      await probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(80), 7000));
      await probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(90), 900_000));

      expect(await rollups.rollUp('hour', at(0), at(120))).toBe(2);
      expect(await rollups.rollUp('hour', at(0), at(120))).toBe(2);
      const hourly = await rollups.list('a', 'hour', at(-60));
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
      expect(await rollups.list('a', 'hour', at(30))).toHaveLength(1);

      // A later probe in an already rolled-up bucket is picked up by the next run, its failure class too.
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(30), 'dns'));
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(35), 'timeout'));
      await rollups.rollUp('hour', at(0), at(60));
      expect((await rollups.list('a', 'hour', at(0)))[0]).toMatchObject({ probes: 5, successes: 2, failures: { dns: 1, timeout: 2 } });

      expect(await rollups.rollUp('day', at(0), at(1))).toBe(1);
      expect(await rollups.list('a', 'day', new Date('2026-03-01T00:00:00Z'))).toEqual([
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
      expect(await rollups.rollUp('hour', at(60), at(60))).toBe(0);
    });

    it('refuses to read a corrupt failure count column rather than dropping failures', async () => {
      await mirrors.syncCatalog([mirror('a')]);
      await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(5), 'dns'));
      await rollups.rollUp('hour', at(0), at(60));
      await db.prisma.client.probeRollup.updateMany({ data: { failureCounts: 'dns:two' } });
      await expect(rollups.list('a', 'hour', at(0))).rejects.toThrow(/malformed failure count/);
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
      const created = await channels.create(hook);
      expect(created).toEqual({ ...hook, id: created.id, createdAt: created.createdAt, updatedAt: created.updatedAt });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await channels.findById(created.id)).toEqual(created);
      const all = await channels.create({
        name: 'all-events',
        type: 'feishu',
        url: 'https://open.feishu.cn/open-apis/bot/v2/hook/x',
        secret: null,
        format: 'card',
        events: null,
      });
      expect(all).toMatchObject({ secret: null, format: 'card', events: null });
      expect((await channels.list()).map((c) => c.name)).toEqual(['all-events', 'ops']);
    });

    it('reports a taken name as a conflict on create and on replace', async () => {
      const first = await channels.create(hook);
      await expect(channels.create({ ...hook, url: 'https://elsewhere.test/hook' })).rejects.toThrow(NotificationChannelConflictError);
      const second = await channels.create({ ...hook, name: 'other' });
      await expect(channels.replace(second.id, { ...hook })).rejects.toThrow(NotificationChannelConflictError);
      expect(await channels.findById(first.id)).toMatchObject({ name: 'ops' });
    });

    it('replaces every column, clearing optional ones, and deletes; absences are null/false', async () => {
      const created = await channels.create(hook);
      const replaced = await channels.replace(created.id, {
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
      expect(await channels.replace('00000000-0000-0000-0000-000000000000', hook)).toBeNull();
      expect(await channels.delete(created.id)).toBe(true);
      expect(await channels.delete(created.id)).toBe(false);
      expect(await channels.findById(created.id)).toBeNull();
    });

    it('refuses event names that would corrupt the comma-separated column', async () => {
      await expect(channels.create({ ...hook, events: ['down,up'] })).rejects.toThrow(TypeError);
      expect(await channels.list()).toEqual([]);
    });
  });

  describe.skipIf(skip)('RecommendationRepository', () => {
    it('stores lists per scope and count, replaces changed ones, and round-trips order and timestamps', async () => {
      expect(await recommendations.loadAll()).toEqual([]);
      const publicTwo = {
        scope: 'public' as const,
        count: 2,
        mirrors: ['https://b.example.test', 'https://a.example.test'],
        updatedAt: at(1),
      };
      const adminOne = { scope: 'admin' as const, count: 1, mirrors: ['https://private.example.test:5000'], updatedAt: at(1) };
      const publicOneEmpty = { scope: 'public' as const, count: 1, mirrors: [], updatedAt: at(1) };
      await recommendations.saveChanged([publicTwo, adminOne, publicOneEmpty]);
      expect(await recommendations.loadAll()).toEqual([adminOne, publicOneEmpty, publicTwo]);

      const replaced = { ...publicTwo, mirrors: ['https://a.example.test'], updatedAt: at(5) };
      await recommendations.saveChanged([replaced]);
      await recommendations.saveChanged([]);
      expect(await recommendations.loadAll()).toEqual([adminOne, publicOneEmpty, replaced]);
    });

    it("keeps each vantage's lists apart, the local vantage's by default", async () => {
      await db.prisma.client.vantage.create({ data: { id: 'remote', name: 'Remote' } });
      const local = { scope: 'public' as const, count: 1, mirrors: ['https://a.example.test'], updatedAt: at(1) };
      const remote = { ...local, mirrors: ['https://b.example.test'] };
      await recommendations.saveChanged([local]);
      await recommendations.saveChanged([remote], 'remote');
      expect(await recommendations.loadAll()).toEqual([local]);
      expect(await recommendations.loadAll('remote')).toEqual([remote]);
    });

    it('leaves out rows it cannot read instead of serving them', async () => {
      await db.prisma.client.recommendation.createMany({
        data: [
          { scope: 'public', count: 3, mirrors: 'not json', updatedAt: at(0) },
          { scope: 'public', count: 4, mirrors: '[1, 2]', updatedAt: at(0) },
          { scope: 'elsewhere', count: 1, mirrors: '[]', updatedAt: at(0) },
          { scope: 'admin', count: 3, mirrors: '["https://a.example.test"]', updatedAt: at(0) },
        ],
      });
      expect(await recommendations.loadAll()).toEqual([
        { scope: 'admin', count: 3, mirrors: ['https://a.example.test'], updatedAt: at(0) },
      ]);
    });
  });

  // Connection settings only SQLite has (prisma-client.factory.ts); PostgreSQL enforces foreign keys always.
  if (provider === 'sqlite')
    it('runs SQLite in WAL mode with foreign keys on', async () => {
      const [journal] = await db.prisma.client.$queryRawUnsafe<{ journal_mode: string }[]>('PRAGMA journal_mode');
      const [foreignKeys] = await db.prisma.client.$queryRawUnsafe<{ foreign_keys: number | bigint }[]>('PRAGMA foreign_keys');
      expect(journal?.journal_mode).toBe('wal');
      expect(Number(foreignKeys?.foreign_keys)).toBe(1);
    });
});

function stateRecord(mirrorId: string): MirrorStateRecord {
  return {
    mirrorId,
    status: 'down',
    degradedReason: null,
    consecutiveFailures: 3,
    consecutiveSuccesses: 0,
    since: at(2),
    lastFailureClass: 'rate_limited',
    lastProbeAt: at(4),
    lastIntegrityFailureAt: null,
    retryNotBefore: at(10),
    lastDigest: 'sha256:aa',
    lastDigestChangeAt: at(-60),
  };
}
