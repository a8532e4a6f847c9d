import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { probeImageForUpstream } from '#infrastructure/configuration/probed-image.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { testMirror } from '#infrastructure/persistence/testing/mirror-definition.fixture.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { postgresForTests } from '#infrastructure/persistence/testing/postgres-test-server.js';
import type { DatabaseProvider } from '#infrastructure/persistence/database-url.js';
import { VerdictRepository } from '#infrastructure/persistence/verdict.repository.js';
import { FreshnessService, type ServedDigest } from './freshness.service.js';
import { ProbeEngineService } from '../engine-thread/probe-engine.service.js';

/** Its thread starts on a first probe, which nothing here asks for: freshness is judged from given digests. */
const idleEngine = new ProbeEngineService();

/**
 * Issue 10: the scheduler skips the freshness write when the evaluation did not
 * change, and its ranking reads the stored evaluations from memory. Both rest
 * on the copy in memory answering exactly what VerdictRepository.loadAll reads
 * from the database, through a term: after restoring, after a write, after a
 * skipped write, with a mirror deleted meanwhile.
 */
const T0 = new Date('2026-11-30T06:00:00.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);
const postgres = postgresForTests();
const PROVIDERS: { provider: DatabaseProvider; skip: boolean; label: string }[] = [
  { provider: 'sqlite', skip: false, label: 'sqlite' },
  { provider: 'postgresql', skip: postgres.skip, label: `postgresql${postgres.label}` },
];
const IMAGES = UPSTREAM_HOSTS.map((upstream) => probeImageForUpstream(upstream).imageKey);

describe.each(PROVIDERS)('FreshnessService: stored evaluations in memory, on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  let verdicts: VerdictRepository;
  let mirrors: MirrorRepository;
  let freshness: FreshnessService;
  const stored = () => verdicts.loadAll(LOCAL_VANTAGE_ID, IMAGES);
  const rowOf = async (id: string) => {
    const { id: _id, ...row } = await db.prisma.client.mirror.findUniqueOrThrow({ where: { id } });
    return { ...row, url: `${row.url}/${id}-again` };
  };
  const served = (digests: Record<string, string>, since = T0): ServedDigest[] =>
    Object.entries(digests).map(([mirrorId, digest]) => ({ mirrorId, digest, since, working: true }));

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, postgres.binaries);
    verdicts = new VerdictRepository(db.prisma);
    mirrors = new MirrorRepository(db.prisma);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    await db.reset();
    await mirrors.syncCatalog([testMirror('a'), testMirror('b'), testMirror('c')]);
    freshness = new FreshnessService(loadConfig({}), verdicts, mirrors, idleEngine);
  });

  it.skipIf(skip)('is null outside a term, and the database after restoring', async () => {
    expect(freshness.storedEvaluations()).toBeNull();
    await new FreshnessService(loadConfig({}), verdicts, mirrors, idleEngine).evaluate(
      served({ a: 'sha256:1', b: 'sha256:1' }),
      undefined,
      at(1),
    );
    await freshness.restore();
    expect(freshness.storedEvaluations()).toEqual(await stored());
    freshness.endTerm();
    expect(freshness.storedEvaluations()).toBeNull();
  });

  it.skipIf(skip)('answers what the database holds after each cycle, and skips a write that would change nothing', async () => {
    await freshness.restore();
    expect(freshness.storedEvaluations()).toEqual(await stored());

    // The term's first evaluation is written.
    await freshness.evaluate(served({ a: 'sha256:1', b: 'sha256:1', c: 'sha256:0' }), undefined, at(10));
    const first = await stored();
    expect(first.get(IMAGES[0] as string)?.evaluatedAt).toEqual(at(10));
    expect(freshness.storedEvaluations()).toEqual(first);

    // The same evaluation again: nothing written (the stored row keeps its time), memory still equal.
    await freshness.evaluate(served({ a: 'sha256:1', b: 'sha256:1', c: 'sha256:0' }), undefined, at(30));
    expect(await stored()).toEqual(first);
    expect(freshness.storedEvaluations()).toEqual(first);

    // A mirror serves another digest: written.
    await freshness.evaluate(served({ a: 'sha256:1', b: 'sha256:2', c: 'sha256:0' }, at(40)), undefined, at(50));
    const third = await stored();
    expect(third.get(IMAGES[0] as string)?.evaluatedAt).toEqual(at(50));
    expect(third).not.toEqual(first);
    expect(freshness.storedEvaluations()).toEqual(third);

    // A mirror deleted: its verdict row goes (cascade), in memory too, and the next evaluation is written
    // (a mirror created again under the same id gets its row back), without the deleted mirror's verdict.
    await mirrors.delete('c');
    expect(freshness.storedEvaluations()).toEqual(await stored());
    await freshness.evaluate(served({ a: 'sha256:2', b: 'sha256:2', c: 'sha256:0' }, at(60)), undefined, at(70));
    const fourth = await stored();
    expect([...(fourth.get(IMAGES[0] as string)?.verdicts.keys() ?? [])]).toEqual(['a', 'b']);
    expect(freshness.storedEvaluations()).toEqual(fourth);
  });

  it.skipIf(skip)('writes again when a mirror was deleted elsewhere (another replica), even if the evaluation did not change', async () => {
    await freshness.restore();
    await mirrors.syncCatalog([testMirror('a'), testMirror('b'), testMirror('c')]);
    await freshness.evaluate(served({ a: 'sha256:1', b: 'sha256:1' }), undefined, at(10));
    // Not through this process's MirrorRepository: only the count of verdict rows tells.
    await db.prisma.client.mirror.delete({ where: { id: 'b' } });
    await db.prisma.client.mirror.create({ data: { ...(await rowOf('a')), id: 'b' } });
    await freshness.evaluate(served({ a: 'sha256:1', b: 'sha256:1' }), undefined, at(20));
    const after = await stored();
    expect(after.get(IMAGES[0] as string)?.evaluatedAt).toEqual(at(20));
    expect([...(after.get(IMAGES[0] as string)?.verdicts.keys() ?? [])]).toEqual(['a', 'b']);
    expect(freshness.storedEvaluations()).toEqual(after);
  });

  it.skipIf(skip)('writes again in a new term, even when the evaluation is the one it last wrote', async () => {
    await freshness.restore();
    await freshness.evaluate(served({ a: 'sha256:1' }), undefined, at(10));
    freshness.endTerm();
    // Another replica wrote meanwhile; this one takes over again.
    await new FreshnessService(loadConfig({}), verdicts, mirrors, idleEngine).evaluate(served({ a: 'sha256:9' }), undefined, at(20));
    await freshness.restore();
    await freshness.evaluate(served({ a: 'sha256:1' }), undefined, at(30));
    const after = await stored();
    expect(after.get(IMAGES[0] as string)?.evaluatedAt).toEqual(at(30));
    expect(after.get(IMAGES[0] as string)?.verdicts.get('a')?.freshness.servedDigest).toBe('sha256:1');
    expect(freshness.storedEvaluations()).toEqual(after);
  });
});
