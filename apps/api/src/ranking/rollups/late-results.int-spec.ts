import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { PROBED_REPOSITORY, probeImageFor } from '#infrastructure/configuration/probed-image.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { AgentResultRepository } from '#infrastructure/persistence/agent-result.repository.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRedoDayRepository } from '#infrastructure/persistence/rollup-redo-day.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { VantageRepository, type AgentIdentity } from '#infrastructure/persistence/vantage.repository.js';
import { testMirror } from '#infrastructure/persistence/testing/mirror-definition.fixture.js';
import { lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { REPOSITORY_PROVIDERS } from '#infrastructure/persistence/testing/repository-suite.js';
import { postgresForTests } from '#infrastructure/persistence/testing/postgres-test-server.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { AgentIngestionService } from '#probing/ingestion/agent-ingestion.service.js';
import { AgentResultsFeed } from '#probing/ingestion/agent-results-feed.js';
import { CatchUpProgress } from './catch-up-progress.js';
import { RollupJobService } from './rollup-job.service.js';

/**
 * Agent results that arrive after the rollup pass has moved past their UTC
 * day (a replayed spool, an outage across midnight), from the ingestion
 * service through the real repositories to the buckets the charts read, on
 * both providers: the late day is recorded with the results, redone by the
 * next pass and then forgotten; a replay counts once; a day past the raw
 * retention is never rolled up again.
 */
const RETENTION_DAYS = 2;
const VANTAGE = 'cn-late';
const agent: AgentIdentity = { vantageId: VANTAGE, tokenId: 'late-token' };
const mirror = testMirror('m1');
const at = (iso: string) => new Date(iso);
const postgres = postgresForTests();

describe.each(REPOSITORY_PROVIDERS)('late agent results and the rollup pass on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  let probes: ProbeRepository;
  let rollups: RollupRepository;
  let redoDays: RollupRedoDayRepository;
  let ingestion: AgentIngestionService;
  let job: RollupJobService;

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, postgres.binaries);
    probes = new ProbeRepository(db.prisma);
    rollups = new RollupRepository(db.prisma);
    redoDays = new RollupRedoDayRepository(db.prisma);
    const config = { ...loadConfig({}), rawProbeRetentionDays: RETENTION_DAYS };
    const mirrors = new MirrorRepository(db.prisma);
    const vantages = new VantageRepository(db.prisma);
    ingestion = new AgentIngestionService(config, mirrors, vantages, new AgentResultRepository(db.prisma), new AgentResultsFeed());
    job = new RollupJobService(config, rollups, probes, redoDays, new CatchUpProgress());
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    if (skip) return;
    await db.reset();
    await new MirrorRepository(db.prisma).syncCatalog([mirror]);
    const vantages = new VantageRepository(db.prisma);
    await vantages.create({ id: VANTAGE, name: 'late agent', notes: null });
    await vantages.createToken({ id: agent.tokenId, vantageId: VANTAGE, tokenHash: 'late-token-hash', label: null });
  });

  /** A batch as an agent posts it, sent at `now` (no clock skew). */
  const post = (now: Date, results: { id: string; startedAt: Date }[]) =>
    ingestion.ingest(
      agent,
      {
        sentAt: now.toISOString(),
        results: results.map(({ id, startedAt }) => {
          const { startedAt: _startedAt, ...result } = lightProbe(startedAt);
          return {
            ...result,
            id,
            mirrorId: mirror.id,
            repository: probeImageFor(mirror).requestRepository,
            startedAt: startedAt.toISOString(),
          };
        }),
      },
      now,
    );
  const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const agentBuckets = async (granularity: 'hour' | 'day') =>
    (await rollups.list(mirror.id, granularity, new Date(0), VANTAGE)).map((b) => [b.bucketStart.toISOString(), b.probes]);
  /** A probe of this server's own in the hour the pass runs, so the pass resumes there as in production. */
  const localProbe = (startedAt: Date) => probes.insert(mirror.id, LOCAL_VANTAGE_ID, lightProbe(startedAt), PROBED_REPOSITORY);

  it.skipIf(skip)('redoes a past day a late result arrived for, counting a replayed result once', async () => {
    // On time: the day is today for the server, nothing to record.
    await post(at('2026-03-09T12:11:00Z'), [{ id: uuid(1), startedAt: at('2026-03-09T12:10:00Z') }]);
    expect(await redoDays.list()).toEqual([]);
    await localProbe(at('2026-03-10T15:00:00Z'));
    await job.run(at('2026-03-10T15:02:00Z'));
    expect(await agentBuckets('day')).toEqual([['2026-03-09T00:00:00.000Z', 1]]);

    // The pass now resumes at 2026-03-10; a replayed spool brings a result of the 9th, twice.
    const late = { id: uuid(2), startedAt: at('2026-03-09T20:00:00Z') };
    expect(await post(at('2026-03-10T15:03:00Z'), [late])).toMatchObject({ stored: 1, duplicates: 0 });
    expect(await post(at('2026-03-10T15:04:00Z'), [late])).toMatchObject({ stored: 0, duplicates: 1 });
    expect((await redoDays.list()).map((r) => [r.mirrorId, r.day.toISOString(), r.version])).toEqual([
      [mirror.id, '2026-03-09T00:00:00.000Z', 1],
    ]);

    const pass = await job.run(at('2026-03-10T16:02:00Z'));
    expect(pass).toMatchObject({ redoneDays: 1, aborted: false });
    expect(pass.from.toISOString()).toBe('2026-03-10T15:00:00.000Z');
    expect(await agentBuckets('day')).toEqual([['2026-03-09T00:00:00.000Z', 2]]);
    expect(await agentBuckets('hour')).toEqual([
      ['2026-03-09T12:00:00.000Z', 1],
      ['2026-03-09T20:00:00.000Z', 1],
    ]);
    expect(await redoDays.list()).toEqual([]);

    // Replayed once more after the redo: acknowledged, not stored, nothing recorded, nothing counted twice.
    expect(await post(at('2026-03-10T16:10:00Z'), [late])).toMatchObject({ stored: 0, duplicates: 1 });
    expect(await redoDays.list()).toEqual([]);
    expect(await job.run(at('2026-03-10T17:02:00Z'))).toMatchObject({ redoneDays: 0 });
    expect(await agentBuckets('day')).toEqual([['2026-03-09T00:00:00.000Z', 2]]);
  });

  it.skipIf(skip)('never rolls up a day past the raw retention again', async () => {
    await post(at('2026-03-08T06:01:00Z'), [{ id: uuid(1), startedAt: at('2026-03-08T06:00:00Z') }]);
    await localProbe(at('2026-03-10T15:00:00Z'));
    await job.run(at('2026-03-10T15:02:00Z'));
    expect(await agentBuckets('day')).toEqual([['2026-03-08T00:00:00.000Z', 1]]);

    // Recorded while the 8th is still the oldest day kept, but no pass runs before it falls behind the cutoff.
    await post(at('2026-03-10T15:03:00Z'), [{ id: uuid(2), startedAt: at('2026-03-08T16:00:00Z') }]);
    expect(await redoDays.list()).toHaveLength(1);
    await localProbe(at('2026-03-11T15:00:00Z'));
    const pass = await job.run(at('2026-03-11T15:02:00Z'));
    expect(pass).toMatchObject({ redoneDays: 0, deletedProbes: 2 });
    expect(await redoDays.list()).toEqual([]);
    expect(await agentBuckets('day')).toEqual([['2026-03-08T00:00:00.000Z', 1]]);

    // A result older than the raw retention is refused outright, naming the field; the buckets stay as they were.
    await expect(post(at('2026-03-11T15:03:00Z'), [{ id: uuid(3), startedAt: at('2026-03-08T08:00:00Z') }])).rejects.toThrow(
      InvalidParameterException,
    );
    expect(await redoDays.list()).toEqual([]);
    await job.run(at('2026-03-11T16:02:00Z'));
    expect(await agentBuckets('day')).toEqual([['2026-03-08T00:00:00.000Z', 1]]);
  });

  it.skipIf(skip)('keeps a record a later result bumped while the pass was redoing its day', async () => {
    await post(at('2026-03-10T15:03:00Z'), [{ id: uuid(1), startedAt: at('2026-03-09T20:00:00Z') }]);
    const [read] = await redoDays.list();
    // Stored after the pass read the record (and possibly after it read the day's probes).
    await post(at('2026-03-10T15:04:00Z'), [{ id: uuid(2), startedAt: at('2026-03-09T21:00:00Z') }]);
    expect(read && (await redoDays.forget(read))).toBe(false);
    expect((await redoDays.list()).map((r) => r.version)).toEqual([2]);
    const current = (await redoDays.list())[0];
    expect(current && (await redoDays.forget(current))).toBe(true);
    expect(await redoDays.list()).toEqual([]);
  });
});
