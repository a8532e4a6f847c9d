import { beforeEach, describe, expect, it } from 'vitest';
import { OUTCOMES_PER_TRANSACTION, ProbeOutcomeRepository } from './probe-outcome.repository.js';
import { deepProbe, failedProbe, lightProbe } from './testing/probe-result.fixture.js';
import { REPOSITORY_PROVIDERS, at, mirror, repositorySuite, stateRecord } from './testing/repository-suite.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';

/** What a probe cycle writes: probe rows, states and incidents in grouped transactions. Both providers. */
describe.each(REPOSITORY_PROVIDERS)('probe outcome repository on $label', ({ provider, skip }) => {
  const repos = repositorySuite(provider, skip);

  describe.skipIf(skip)('ProbeOutcomeRepository', () => {
    beforeEach(async () => {
      await repos.mirrors.syncCatalog([mirror('a')]);
    });

    it('stores probe rows, state and an opened incident together, then closes it with the next outcome', async () => {
      const outcomes = new ProbeOutcomeRepository(repos.db.prisma);
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
      expect((await repos.incidents.openIncidents()).map((i) => i.startedAt)).toEqual([at(1)]);
      await outcomes.commit({
        mirrorId: 'a',
        vantageId: LOCAL_VANTAGE_ID,
        probes: [{ result: lightProbe(at(3)), repository: 'library/alpine' }],
        state: { ...stateRecord('a'), status: 'up' },
        incident: { kind: 'close', mirrorId: 'a', endedAt: at(3) },
      });
      expect(await repos.incidents.openIncidents()).toEqual([]);
      expect((await repos.incidents.listForMirror('a'))[0]?.endedAt).toEqual(at(3));
      expect((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10)).length).toBe(2);
      expect((await repos.states.get('a'))?.status).toBe('up');
    });

    it('stores rows and states that read back through the model API exactly as written, and replaces a stored state', async () => {
      await repos.mirrors.syncCatalog([mirror('a'), mirror('b')]);
      const outcomes = new ProbeOutcomeRepository(repos.db.prisma);
      const announced: unknown[] = [];
      outcomes.onStored((records) => announced.push(...records));
      const deep = deepProbe(new Date('2026-03-01T10:00:00.123Z'), 4_200_000.5);
      const failed = failedProbe(new Date('2026-03-01T10:01:00.456Z'), 'rate_limited', { retryAfterSeconds: 30, detail: 'slow down' });
      const light = lightProbe(new Date('2026-03-01T10:02:00.789Z'), { durationMs: 7 });
      const stateA = { ...stateRecord('a'), status: 'degraded' as const, degradedReason: 'slow' as const, lastIntegrityFailureAt: at(3) };
      const batch = outcomes.batch();
      const added = [
        batch.add({
          mirrorId: 'a',
          vantageId: LOCAL_VANTAGE_ID,
          probes: [{ result: deep, repository: null }],
          state: stateA,
          incident: null,
        }),
        batch.add({
          mirrorId: 'b',
          vantageId: LOCAL_VANTAGE_ID,
          probes: [
            { result: failed, repository: 'library/alpine' },
            { result: light, repository: null },
          ],
          state: stateRecord('b'),
          incident: null,
        }),
      ];
      await batch.commit();
      await Promise.all(added);
      const readBack = [
        ...(await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10)),
        ...(await repos.probes.recent('b', LOCAL_VANTAGE_ID, 10)),
      ];
      expect(readBack).toEqual([
        { ...deep, id: expect.any(Number), mirrorId: 'a', vantageId: LOCAL_VANTAGE_ID, repository: 'library/alpine' },
        { ...light, id: expect.any(Number), mirrorId: 'b', vantageId: LOCAL_VANTAGE_ID, repository: 'library/alpine' },
        { ...failed, id: expect.any(Number), mirrorId: 'b', vantageId: LOCAL_VANTAGE_ID, repository: 'library/alpine' },
      ]);
      // Listeners (the leader's windows) get the stored records in insertion order, equal to what the database reads.
      expect(announced).toEqual([readBack[0], readBack[2], readBack[1]]);
      expect(await repos.states.get('a')).toEqual(stateA);
      expect(await repos.states.get('b')).toEqual(stateRecord('b'));
      // The next outcome of a mirror replaces its state, every column.
      const recovered = {
        ...stateRecord('a'),
        status: 'up' as const,
        consecutiveFailures: 0,
        retryNotBefore: null,
        lastDigest: 'sha256:bb',
      };
      await outcomes.commit({ mirrorId: 'a', vantageId: LOCAL_VANTAGE_ID, probes: [], state: recovered, incident: null });
      expect(await repos.states.get('a')).toEqual(recovered);
      expect((await repos.states.getAll()).size).toBe(2);
    });

    it('writes nothing when any part fails: no probe row without its state and incident', async () => {
      const outcomes = new ProbeOutcomeRepository(repos.db.prisma);
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
      expect(await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10)).toEqual([]);
      expect(await repos.states.get('a')).toBeNull();
    });

    it('groups outcomes handed over together into one write, and a bad one fails alone', async () => {
      await repos.mirrors.syncCatalog([mirror('a'), mirror('b')]);
      const outcomes = new ProbeOutcomeRepository(repos.db.prisma);
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
      expect((await repos.probes.recent('a', LOCAL_VANTAGE_ID, 10)).map((p) => p.startedAt)).toEqual([at(1)]);
      expect((await repos.probes.recent('b', LOCAL_VANTAGE_ID, 10)).map((p) => p.startedAt)).toEqual([at(3)]);
      expect((await repos.states.get('b'))?.status).toBe('up');
    });

    it('writes a large batch in parts, in order, the event loop turning between them; a bad outcome fails alone', async () => {
      const ids = Array.from({ length: OUTCOMES_PER_TRANSACTION * 2 + 1 }, (_, index) => `m${index}`);
      await repos.mirrors.syncCatalog(ids.map((id) => mirror(id)));
      const outcomes = new ProbeOutcomeRepository(repos.db.prisma);
      const announced: string[] = [];
      outcomes.onStored((records) => announced.push(...records.map((record) => record.mirrorId)));
      const batch = outcomes.batch();
      const added = ids.map((id, index) =>
        batch.add({
          mirrorId: id,
          vantageId: LOCAL_VANTAGE_ID,
          probes: [{ result: lightProbe(at(index)), repository: 'library/alpine' }],
          state: { ...stateRecord(id), status: 'up' },
          incident:
            index === OUTCOMES_PER_TRANSACTION + 1
              ? { kind: 'open', incident: { mirrorId: 'missing', startedAt: at(index), failureClass: 'dns', detail: null } }
              : null,
        }),
      );
      const outcomesSettled = Promise.allSettled(added);
      // Counts turns of the event loop (no timing involved): one immediate per turn, re-queued until the write ends.
      let turns = 0;
      let writing = true;
      const countTurn = () => {
        turns += 1;
        if (writing) setImmediate(countTurn);
      };
      setImmediate(countTurn);
      await batch.commit();
      writing = false;
      const settled = await outcomesSettled;
      const badId = ids[OUTCOMES_PER_TRANSACTION + 1];
      expect(settled.filter((s) => s.status === 'rejected')).toHaveLength(1);
      expect(settled[OUTCOMES_PER_TRANSACTION + 1]?.status).toBe('rejected');
      expect(announced).toEqual(ids.filter((id) => id !== badId));
      expect(await repos.states.get(badId!)).toBeNull();
      expect((await repos.states.get(ids.at(-1)!))?.status).toBe('up');
      // Three parts: the loop turned between them.
      expect(turns).toBeGreaterThanOrEqual(2);
    });
  });
});
