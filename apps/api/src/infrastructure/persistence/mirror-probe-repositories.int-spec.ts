import { beforeEach, describe, expect, it } from 'vitest';
import { MirrorConflictError } from './mirror.repository.js';
import { deepProbe, failedProbe, lightProbe } from './testing/probe-result.fixture.js';
import { REPOSITORY_PROVIDERS, at, mirror, repositorySuite, stateRecord } from './testing/repository-suite.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';

const LOCAL = { vantageId: LOCAL_VANTAGE_ID };

/** The catalog and what probing reads back: mirrors and raw probes. Both providers (probe outcomes: probe-outcome.repository.int-spec.ts). */
describe.each(REPOSITORY_PROVIDERS)('mirror and probe repositories on $label', ({ provider, skip }) => {
  const repos = repositorySuite(provider, skip);

  describe.skipIf(skip)('MirrorRepository', () => {
    it('syncs the catalog: creates, updates, disables the removed, leaves admin mirrors alone', async () => {
      await repos.mirrors.create(mirror('admin-one'));
      expect(await repos.mirrors.syncCatalog([mirror('a'), mirror('b')])).toEqual({
        created: 2,
        updated: 0,
        disabled: 0,
        skippedAdminOwned: [],
      });

      const second = await repos.mirrors.syncCatalog([
        mirror('a', { name: 'Renamed', notes: 'n' }),
        mirror('admin-one', { url: 'https://other.test' }),
      ]);
      expect(second).toEqual({ created: 0, updated: 1, disabled: 1, skippedAdminOwned: ['admin-one'] });
      expect((await repos.mirrors.listEnabled()).map((m) => m.id)).toEqual(['a', 'admin-one']);
      expect(await repos.mirrors.findById('a')).toMatchObject({ name: 'Renamed', notes: 'n', source: 'catalog', enabled: true });
      expect(await repos.mirrors.findById('b')).toMatchObject({ enabled: false, source: 'catalog' });
      expect(await repos.mirrors.findById('admin-one')).toMatchObject({ url: 'https://admin-one.example.test', source: 'admin' });

      // A mirror that comes back to the catalog is enabled again.
      expect(await repos.mirrors.syncCatalog([mirror('a'), mirror('b')])).toMatchObject({ updated: 2, disabled: 0 });
      expect((await repos.mirrors.listEnabled()).map((m) => m.id)).toEqual(['a', 'admin-one', 'b']);
      // A restart with the same catalog writes nothing (the start-up transaction stays one read).
      expect(await repos.mirrors.syncCatalog([mirror('a'), mirror('b')])).toEqual({
        created: 0,
        updated: 0,
        disabled: 0,
        skippedAdminOwned: [],
      });
    });

    it('gives private catalog mirrors a random stored id, never the URL slug, and moves a slug id with its history', async () => {
      const slugId = 'secret-accelerator-example-test';
      const privateEntry = mirror(slugId, { url: 'https://secret-accelerator.example.test', visibility: 'private' });
      await repos.mirrors.syncCatalog([mirror('a'), { ...privateEntry, visibility: 'public' }]);
      await repos.probes.insert(slugId, LOCAL_VANTAGE_ID, lightProbe(at(1)));
      await repos.incidents.openIncident({ mirrorId: slugId, startedAt: at(1), failureClass: 'dns', detail: null });

      await repos.mirrors.syncCatalog([mirror('a'), privateEntry]);
      const privateIds = (await repos.mirrors.listAll()).filter((m) => m.visibility === 'private').map((m) => m.id);
      expect(privateIds).toHaveLength(1);
      const [newId] = privateIds as [string];
      expect(newId).toMatch(/^private-[0-9a-f]{16}$/);
      expect(newId).not.toContain('secret');
      expect(await repos.mirrors.findById(slugId)).toBeNull();
      expect((await repos.probes.recent(newId, LOCAL_VANTAGE_ID, 10)).length).toBe(1);
      expect((await repos.incidents.listForMirror(newId)).length).toBe(1);

      // Stable across restarts: the next sync finds it by URL.
      await repos.mirrors.syncCatalog([mirror('a'), privateEntry]);
      expect((await repos.mirrors.listAll()).filter((m) => m.visibility === 'private').map((m) => m.id)).toEqual([newId]);
      // Two databases never derive the same id from the same URL.
      await repos.db.reset();
      await repos.mirrors.syncCatalog([privateEntry]);
      expect((await repos.mirrors.listAll()).map((m) => m.id)).not.toContain(newId);
    });

    it('creates, updates and deletes admin mirrors, with conflicts and absences reported', async () => {
      const created = await repos.mirrors.create(mirror('x', { caPath: '/etc/ca.pem', provider: 'ACME' }));
      expect(created).toMatchObject({ id: 'x', caPath: '/etc/ca.pem', provider: 'ACME', source: 'admin', enabled: true });
      expect(created.createdAt).toBeInstanceOf(Date);
      await expect(repos.mirrors.create(mirror('x', { url: 'https://elsewhere.test' }))).rejects.toThrow(MirrorConflictError);
      await expect(repos.mirrors.create(mirror('y', { url: 'https://x.example.test' }))).rejects.toThrow(MirrorConflictError);

      expect(await repos.mirrors.update('x', { enabled: false, notes: 'paused' })).toMatchObject({ enabled: false, notes: 'paused' });
      expect(await repos.mirrors.update('missing', { name: 'n' })).toBeNull();
      expect(await repos.mirrors.listEnabled()).toEqual([]);
      expect((await repos.mirrors.listAll()).map((m) => m.id)).toEqual(['x']);

      expect(await repos.mirrors.delete('x')).toBe(true);
      expect(await repos.mirrors.delete('x')).toBe(false);
      expect(await repos.mirrors.findById('x')).toBeNull();
    });

    it('cascades a mirror delete to probes, incidents, rollups and state', async () => {
      await repos.mirrors.create(mirror('gone'));
      await repos.probes.insert('gone', LOCAL_VANTAGE_ID, lightProbe(at(1)));
      await repos.incidents.openIncident({ mirrorId: 'gone', startedAt: at(1), failureClass: 'dns', detail: null });
      await repos.rollups.rollUp('hour', at(0), at(60));
      await repos.states.upsert(stateRecord('gone'));
      await repos.mirrors.delete('gone');
      const client = repos.db.prisma.client;
      expect(
        await Promise.all([client.probe.count(), client.incident.count(), client.probeRollup.count(), client.mirrorState.count()]),
      ).toEqual([0, 0, 0, 0]);
    });
  });

  describe.skipIf(skip)('ProbeRepository', () => {
    beforeEach(async () => {
      await repos.mirrors.syncCatalog([mirror('a'), mirror('b'), mirror('c')]);
    });

    it('round-trips a deep ProbeResult and a failed one exactly, millisecond dates included', async () => {
      const deep = deepProbe(new Date('2026-03-01T10:00:00.123Z'), 4_200_000.5);
      const failed = failedProbe(new Date('2026-03-01T10:01:00.456Z'), 'rate_limited', { retryAfterSeconds: 30 });
      const storedDeep = await repos.probes.insert('a', LOCAL_VANTAGE_ID, deep);
      const storedFailed = await repos.probes.insert('a', LOCAL_VANTAGE_ID, failed, 'library/alpine');
      expect(storedDeep).toEqual({ ...deep, id: storedDeep.id, mirrorId: 'a', vantageId: 'local', repository: 'library/alpine' });
      expect(storedFailed).toEqual({ ...failed, id: storedFailed.id, mirrorId: 'a', vantageId: 'local', repository: 'library/alpine' });
      const recent = await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10);
      expect(recent).toEqual([storedFailed, storedDeep]);
      expect(recent[1]!.startedAt.toISOString()).toBe('2026-03-01T10:00:00.123Z');
    });

    it('keeps repository null when unknown and returns recent probes newest first, limited', async () => {
      const stored = await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(0), 'dns'));
      expect(stored.repository).toBeNull();
      for (const minute of [1, 2, 3]) await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(minute)));
      expect((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 2)).map((p) => p.startedAt)).toEqual([at(3), at(2)]);
      expect((await repos.probes.between('a', at(1), at(3), LOCAL)).map((p) => p.startedAt)).toEqual([at(1), at(2)]);
    });

    it('finds the latest probe per mirror, optionally for one repository', async () => {
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(1)));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(2), 'forbidden'), 'someone/else');
      await repos.probes.insert('b', LOCAL_VANTAGE_ID, failedProbe(at(3), 'timeout'));
      const latest = await repos.probes.latestByMirror(LOCAL);
      expect([...latest.keys()].sort()).toEqual(['a', 'b']);
      expect(latest.get('a')?.failureClass).toBe('forbidden');
      const mainImage = await repos.probes.latestByMirror({ ...LOCAL, repository: 'library/alpine' });
      expect(mainImage.get('a')?.startedAt).toEqual(at(1));
      expect(mainImage.has('b')).toBe(false);
      // One statement for every mirror (raw SQL): the same records, field by field, as Prisma's own reads.
      expect(latest.get('a')).toEqual((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 1))[0]);
      expect(latest.get('b')).toEqual((await repos.probes.recent('b', LOCAL_VANTAGE_ID, 1))[0]);
      const anyOf = await repos.probes.latestByMirror({ ...LOCAL, repository: { in: ['someone/else', 'library/alpine'] }, kind: 'light' });
      expect(anyOf.get('a')?.startedAt).toEqual(at(2));
      expect(anyOf.has('b')).toBe(false);
      expect((await repos.probes.latestByMirror({ ...LOCAL, repository: { in: [] } })).size).toBe(0);
      expect((await repos.probes.latestByMirror({ ...LOCAL, kind: 'deep' })).size).toBe(0);
      expect((await repos.probes.latestByMirror({ vantageId: 'elsewhere' })).size).toBe(0);
    });

    it('computes latencies, success counts and failure counts over a window', async () => {
      await repos.probes.insert(
        'a',
        LOCAL_VANTAGE_ID,
        lightProbe(at(-120), { timings: { ...lightProbe(at(0)).timings, manifestMs: 999 } }),
      );
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(1), { timings: { ...lightProbe(at(0)).timings, manifestMs: 80 } }));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(2), { timings: { ...lightProbe(at(0)).timings, manifestMs: 40 } }));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(3), 'integrity'));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(4), 'forbidden'), 'other/repo');
      await repos.probes.insert('b', LOCAL_VANTAGE_ID, failedProbe(at(5), 'integrity'));

      expect(await repos.probes.manifestLatenciesSince(at(0), LOCAL)).toEqual(new Map([['a', [80, 40]]]));
      expect(await repos.probes.successCountsSince(at(0), LOCAL)).toEqual(
        new Map([
          ['a', { probes: 4, successes: 2 }],
          ['b', { probes: 1, successes: 0 }],
        ]),
      );
      expect((await repos.probes.successCountsSince(at(0), { ...LOCAL, repository: 'library/alpine' })).get('a')).toEqual({
        probes: 2,
        successes: 2,
      });
      expect(await repos.probes.failureCountsSince(at(0), 'integrity', LOCAL)).toEqual(
        new Map([
          ['a', 1],
          ['b', 1],
        ]),
      );
      expect(await repos.probes.failureCountsSince(at(0), 'integrity', { vantageId: 'elsewhere' })).toEqual(new Map());
    });

    it('finds the latest successful deep probe', async () => {
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(1), 1000));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(2), 2000));
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, { ...deepProbe(at(3), 3000), ok: false, failureClass: 'integrity' });
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(4)));
      expect((await repos.probes.latestSuccessfulDeep('a', LOCAL_VANTAGE_ID))?.blob?.throughputBytesPerSec).toBe(2000);
      expect(await repos.probes.latestSuccessfulDeep('b', LOCAL_VANTAGE_ID)).toBeNull();
      const byMirror = await repos.probes.latestSuccessfulDeepByMirror(['a', 'b'], LOCAL_VANTAGE_ID);
      expect([...byMirror.keys()]).toEqual(['a']);
      expect(byMirror.get('a')).toEqual(await repos.probes.latestSuccessfulDeep('a', LOCAL_VANTAGE_ID));
      expect((await repos.probes.latestSuccessfulDeepByMirror(['b'], LOCAL_VANTAGE_ID)).size).toBe(0);
    });

    it("reads one vantage's probes only: an agent's rows never show in the local reads, nor the local ones in the agent's", async () => {
      await repos.db.prisma.client.vantage.create({ data: { id: 'agent-net', name: 'agent' } });
      const agent = { vantageId: 'agent-net' };
      const manifestMs = (ms: number) => ({ timings: { ...lightProbe(at(0)).timings, manifestMs: ms } });
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(1), manifestMs(40)), 'library/alpine');
      await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(2), 1000), 'library/alpine');
      // The agent sees the mirror failing, later than every local probe.
      await repos.probes.insert('a', 'agent-net', lightProbe(at(3), manifestMs(900)), 'library/alpine');
      await repos.probes.insert('a', 'agent-net', deepProbe(at(4), 9000), 'library/alpine');
      await repos.probes.insert('a', 'agent-net', failedProbe(at(5), 'integrity'), 'library/alpine');
      await repos.probes.insert('a', 'agent-net', failedProbe(at(6), 'timeout'), 'library/alpine');

      expect((await repos.probes.latestByMirror(LOCAL)).get('a')?.startedAt).toEqual(at(2));
      expect((await repos.probes.latestByMirror(agent)).get('a')?.startedAt).toEqual(at(6));
      expect((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10)).map((p) => p.startedAt)).toEqual([at(2), at(1)]);
      expect((await repos.probes.recent('a', 'agent-net', 1, { failuresOnly: true }))[0]?.startedAt).toEqual(at(6));
      expect(await repos.probes.recent('a', LOCAL_VANTAGE_ID, 1, { failuresOnly: true })).toEqual([]);
      expect((await repos.probes.between('a', at(0), at(10), LOCAL)).length).toBe(2);
      expect(await repos.probes.manifestLatenciesSince(at(0), { ...LOCAL, kind: 'light' })).toEqual(new Map([['a', [40]]]));
      expect(await repos.probes.successCountsSince(at(0), LOCAL)).toEqual(new Map([['a', { probes: 2, successes: 2 }]]));
      expect(await repos.probes.successCountsSince(at(0), agent)).toEqual(new Map([['a', { probes: 4, successes: 2 }]]));
      expect(await repos.probes.failureCountsSince(at(0), 'integrity', LOCAL)).toEqual(new Map());
      expect(await repos.probes.failureCountsSince(at(0), 'timeout', agent)).toEqual(new Map([['a', 1]]));
      expect((await repos.probes.latestSuccessfulDeepByMirror(['a'], LOCAL_VANTAGE_ID)).get('a')?.blob?.throughputBytesPerSec).toBe(1000);
      expect((await repos.probes.latestSuccessfulDeep('a', 'agent-net'))?.blob?.throughputBytesPerSec).toBe(9000);
    });

    it('picks the later stored of two probes started in the same millisecond, in every newest-first read', async () => {
      const first = await repos.probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(at(1), 'timeout'), 'library/alpine');
      const second = await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(1)), 'library/alpine');
      expect(second.id).toBeGreaterThan(first.id);
      expect((await repos.probes.latestByMirror(LOCAL)).get('a')?.id).toBe(second.id);
      expect((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 2)).map((p) => p.id)).toEqual([second.id, first.id]);
      const deepA = await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(5), 1000), 'library/alpine');
      const deepB = await repos.probes.insert('a', LOCAL_VANTAGE_ID, deepProbe(at(5), 2000), 'library/alpine');
      expect(deepB.id).toBeGreaterThan(deepA.id);
      expect((await repos.probes.latestSuccessfulDeepByMirror(['a'], LOCAL_VANTAGE_ID)).get('a')?.id).toBe(deepB.id);
      expect((await repos.probes.latestSuccessfulDeep('a', LOCAL_VANTAGE_ID))?.id).toBe(deepB.id);
    });

    it('deletes raw probes older than a cutoff in batches of at most the limit', async () => {
      for (const minute of [0, 1, 2, 10, 20]) await repos.probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(at(minute)));
      expect(await repos.probes.deleteOlderThanBatch(at(10), 2)).toBe(2);
      expect(await repos.probes.deleteOlderThanBatch(at(10), 2)).toBe(1);
      expect(await repos.probes.deleteOlderThanBatch(at(10), 2)).toBe(0);
      expect((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10)).map((p) => p.startedAt)).toEqual([at(20), at(10)]);
    });
  });
});
