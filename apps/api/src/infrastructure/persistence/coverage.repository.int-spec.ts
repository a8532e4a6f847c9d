import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CoverageRepository, type CoverageWrite } from './coverage.repository.js';
import type { DatabaseProvider } from './database-url.js';
import { MirrorRepository } from './mirror.repository.js';

import { postgresForTests } from './testing/postgres-test-server.js';
import { openTestDatabase, type TestDatabase } from './testing/test-database.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';

const postgres = postgresForTests();
const PROVIDERS: { provider: DatabaseProvider; skip: boolean; label: string }[] = [
  { provider: 'sqlite', skip: false, label: 'sqlite' },
  { provider: 'postgresql', skip: postgres.skip, label: `postgresql${postgres.label}` },
];

const T0 = new Date('2026-03-01T10:00:00.000Z');
const answer = (image: string, override: Partial<CoverageWrite> = {}): CoverageWrite => ({
  image,
  checkedAt: T0,
  ok: true,
  failureClass: null,
  httpStatus: 200,
  detail: null,
  digest: `sha256:${'a'.repeat(64)}`,
  manifestMs: 12.5,
  ...override,
});

describe.each(PROVIDERS)('CoverageRepository on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  let coverage: CoverageRepository;

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, postgres.binaries);
    coverage = new CoverageRepository(db.prisma, new MirrorRepository(db.prisma));
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    await db.reset();
    await new MirrorRepository(db.prisma).syncCatalog([
      { id: 'a', name: 'A', url: 'https://a.test', provider: null, notes: null, visibility: 'public', caPath: null },
      { id: 'b', name: 'B', url: 'https://b.test', provider: null, notes: null, visibility: 'public', caPath: null },
    ]);
  });

  it.skipIf(skip)('keeps the latest answer per mirror and image, and reads only the asked images', async () => {
    await coverage.saveMirrorAnswers('a', LOCAL_VANTAGE_ID, [answer('x/y:1'), answer('library/z:2')]);
    const refused = answer('x/y:1', {
      ok: false,
      failureClass: 'forbidden',
      httpStatus: 403,
      detail: 'DENIED not in whitelist',
      digest: null,
      manifestMs: null,
      checkedAt: new Date(T0.getTime() + 60_000),
    });
    await coverage.saveMirrorAnswers('a', LOCAL_VANTAGE_ID, [refused]);
    await coverage.saveMirrorAnswers('b', LOCAL_VANTAGE_ID, [answer('x/y:1')]);
    const read = await coverage.mirrorAnswers(LOCAL_VANTAGE_ID, ['x/y:1']);
    expect([...read.keys()]).toEqual(['a', 'b']);
    expect(read.get('a')).toEqual([{ mirrorId: 'a', ...refused }]);
    expect((await coverage.mirrorAnswers(LOCAL_VANTAGE_ID, ['library/z:2'])).get('a')?.[0]).toMatchObject({ ok: true, manifestMs: 12.5 });
  });

  it.skipIf(skip)('keeps the last of two answers for one image handed over together', async () => {
    const later = answer('x/y:1', {
      ok: false,
      failureClass: 'timeout',
      httpStatus: null,
      digest: null,
      manifestMs: null,
      checkedAt: new Date(T0.getTime() + 1),
    });
    await coverage.saveMirrorAnswers('a', LOCAL_VANTAGE_ID, [answer('x/y:1'), later]);
    expect((await coverage.mirrorAnswers(LOCAL_VANTAGE_ID, ['x/y:1'])).get('a')).toEqual([{ mirrorId: 'a', ...later }]);
  });

  it.skipIf(skip)("stores the reference registry answers and drops a mirror's answers with the mirror", async () => {
    await coverage.saveReferenceAnswer(answer('x/y:1', { ok: false, failureClass: 'not_found', httpStatus: 404 }));
    await coverage.saveReferenceAnswer(answer('x/y:1'));
    expect((await coverage.referenceAnswers(['x/y:1', 'other:1'])).get('x/y:1')).toMatchObject({
      mirrorId: null,
      ok: true,
      failureClass: null,
    });
    await coverage.saveMirrorAnswers('a', LOCAL_VANTAGE_ID, [answer('x/y:1')]);
    await db.prisma.client.mirror.delete({ where: { id: 'a' } });
    expect((await coverage.mirrorAnswers(LOCAL_VANTAGE_ID, ['x/y:1'])).size).toBe(0);
  });

  it.skipIf(skip)("in a scheduler's term, answers from its copy exactly what the database answers (issue 10)", async () => {
    const mirrors = new MirrorRepository(db.prisma);
    const kept = new CoverageRepository(db.prisma, mirrors);
    const images = ['x/y:1', 'library/z:2', 'other:1'];
    const same = async () => {
      expect(await kept.mirrorAnswers(LOCAL_VANTAGE_ID, images)).toEqual(await coverage.mirrorAnswers(LOCAL_VANTAGE_ID, images));
      expect(await kept.mirrorAnswers(LOCAL_VANTAGE_ID, ['x/y:1'])).toEqual(await coverage.mirrorAnswers(LOCAL_VANTAGE_ID, ['x/y:1']));
      expect(await kept.referenceAnswers(images)).toEqual(await coverage.referenceAnswers(images));
    };
    await kept.saveMirrorAnswers('b', LOCAL_VANTAGE_ID, [answer('x/y:1'), answer('library/z:2')]);
    kept.keepCopy();
    await same();
    // Writes through the repository update the copy: new rows, replaced rows, a failure with its class.
    await kept.saveMirrorAnswers('a', LOCAL_VANTAGE_ID, [answer('library/z:2'), answer('x/y:1', { ok: false, failureClass: 'forbidden' })]);
    await kept.saveMirrorAnswers('b', LOCAL_VANTAGE_ID, [
      answer('x/y:1', { digest: 'sha256:other', checkedAt: new Date(T0.getTime() + 5) }),
    ]);
    await kept.saveReferenceAnswer(answer('other:1', { ok: false, failureClass: 'not_found', httpStatus: 404 }));
    await same();
    // A mirror deleted through this process, then one deleted elsewhere (a count of the rows tells).
    await mirrors.delete('a');
    await same();
    await kept.saveMirrorAnswers('b', LOCAL_VANTAGE_ID, [answer('other:1')]);
    await db.prisma.client.mirror.delete({ where: { id: 'b' } });
    await same();
    kept.dropCopy();
    await same();
  });
});
