import { testMirror } from './testing/mirror-definition.fixture.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { DatabaseProvider } from './database-url.js';
import { MIRROR_VERDICT_FACTS_VERSION, type MirrorVerdictFacts } from './mirror-verdict-facts.js';
import { MirrorRepository } from './mirror.repository.js';

import { postgresForTests } from './testing/postgres-test-server.js';
import { openTestDatabase, type TestDatabase } from './testing/test-database.js';
import { VerdictRepository, type StoredEvaluation } from './verdict.repository.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';

const postgres = postgresForTests();
const PROVIDERS: { provider: DatabaseProvider; skip: boolean; label: string }[] = [
  { provider: 'sqlite', skip: false, label: 'sqlite' },
  { provider: 'postgresql', skip: postgres.skip, label: `postgresql${postgres.label}` },
];
const IMAGE = 'library/alpine:latest';
const T0 = new Date('2026-11-30T06:00:00.000Z');

const mirror = testMirror;
const fresh: MirrorVerdictFacts = { freshness: { state: 'fresh', servedDigest: 'sha256:new', differentSince: null } };
const lagging: MirrorVerdictFacts = { freshness: { state: 'lagging', servedDigest: 'sha256:old', differentSince: T0 } };

describe.each(PROVIDERS)('VerdictRepository on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  let verdicts: VerdictRepository;

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, postgres.binaries);
    verdicts = new VerdictRepository(db.prisma);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    await db.reset();
    await new MirrorRepository(db.prisma).syncCatalog([mirror('a'), mirror('b')]);
  });

  it.skipIf(skip)('has nothing before the first evaluation', async () => {
    expect(await verdicts.load(LOCAL_VANTAGE_ID, IMAGE)).toBeNull();
  });

  it.skipIf(skip)('stores a cycle and reads back the same reference and verdicts; the next cycle replaces it whole', async () => {
    const first: StoredEvaluation = {
      reference: { digest: 'sha256:new', source: 'upstream', firstSeenAt: T0 },
      verdicts: new Map([
        ['a', fresh],
        ['b', lagging],
      ]),
      evaluatedAt: new Date(T0.getTime() + 1000),
    };
    await verdicts.save(LOCAL_VANTAGE_ID, IMAGE, first);
    expect(await verdicts.load(LOCAL_VANTAGE_ID, IMAGE)).toEqual(first);

    // No reference this cycle, and a verdict for a mirror deleted meanwhile: kept out, not a foreign-key error.
    const second: StoredEvaluation = {
      reference: null,
      verdicts: new Map([
        ['a', lagging],
        ['gone', fresh],
      ]),
      evaluatedAt: new Date(T0.getTime() + 2000),
    };
    await verdicts.save(LOCAL_VANTAGE_ID, IMAGE, second);
    expect(await verdicts.load(LOCAL_VANTAGE_ID, IMAGE)).toEqual({ ...second, verdicts: new Map([['a', lagging]]) });
  });

  it.skipIf(skip)('treats a row of an unknown facts version or an unreadable body as no verdict', async () => {
    await verdicts.save(LOCAL_VANTAGE_ID, IMAGE, {
      reference: null,
      verdicts: new Map([
        ['a', fresh],
        ['b', fresh],
      ]),
      evaluatedAt: T0,
    });
    await db.prisma.client.mirrorVerdict.update({
      where: { mirrorId_vantageId: { mirrorId: 'a', vantageId: LOCAL_VANTAGE_ID } },
      data: { version: MIRROR_VERDICT_FACTS_VERSION + 1 },
    });
    await db.prisma.client.mirrorVerdict.update({
      where: { mirrorId_vantageId: { mirrorId: 'b', vantageId: LOCAL_VANTAGE_ID } },
      data: { facts: '{"freshness":{"state":"gleaming"}}' },
    });
    expect((await verdicts.load(LOCAL_VANTAGE_ID, IMAGE))?.verdicts.size).toBe(0);
  });

  it.skipIf(skip)('drops a mirror’s verdict with the mirror', async () => {
    await verdicts.save(LOCAL_VANTAGE_ID, IMAGE, {
      reference: null,
      verdicts: new Map([
        ['a', fresh],
        ['b', fresh],
      ]),
      evaluatedAt: T0,
    });
    await db.prisma.client.mirror.delete({ where: { id: 'b' } });
    expect([...((await verdicts.load(LOCAL_VANTAGE_ID, IMAGE))?.verdicts.keys() ?? [])]).toEqual(['a']);
  });
});
