import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { IncidentRepository } from '#infrastructure/persistence/incident.repository.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { RollupRedoDayRepository } from '#infrastructure/persistence/rollup-redo-day.repository.js';
import { deepProbe, failedProbe, lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { HistoryService } from '#delivery/history/history.service.js';
import { PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import { CatchUpProgress } from './catch-up-progress.js';
import type { Sleep } from '#infrastructure/timing/sleep-unless-aborted.js';
import { DutyCycle } from './duty-cycle.js';
import { RollupJobService } from './rollup-job.service.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

/**
 * The rollup job and the long-window history against a real, migrated SQLite
 * database: rollups written, retention applied after them, and the 7-day
 * history read from rollups agreeing with what the raw probes said.
 */
const RETENTION_DAYS = 2;
const NOW = new Date('2026-03-10T15:02:00.000Z');
const HOUR = 3_600_000;
const ago = (hours: number, minutes = 0) => new Date(NOW.getTime() - hours * HOUR - minutes * 60_000);

const mirror: MirrorDefinition = {
  id: 'm1',
  name: 'M1',
  url: 'https://m1.example.test',
  provider: null,
  notes: null,
  visibility: 'public',
  caPath: null,
};

describe('rollup job on SQLite', () => {
  let db: TestDatabase;
  let probes: ProbeRepository;
  let rollups: RollupRepository;
  let job: RollupJobService;
  let history: HistoryService;

  beforeAll(async () => {
    db = await openTestDatabase('sqlite', null);
    probes = new ProbeRepository(db.prisma);
    rollups = new RollupRepository(db.prisma);
    const config = { ...loadConfig({}), rawProbeRetentionDays: RETENTION_DAYS };
    const progress = new CatchUpProgress();
    job = new RollupJobService(config, rollups, probes, new RollupRedoDayRepository(db.prisma), progress);
    history = new HistoryService(probes, rollups);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
    await new MirrorRepository(db.prisma).syncCatalog([mirror]);
    void IncidentRepository;
  });

  const insert = (result: Parameters<ProbeRepository['insert']>[2], repository = PROBED_REPOSITORY) =>
    probes.insert(mirror.id, LOCAL_VANTAGE_ID, result, repository);

  it('rolls up hours and days of the main image only, then deletes raw probes past retention', async () => {
    // Three days back (past retention), yesterday, and this hour.
    await insert(lightProbe(ago(72), { timings: { ...lightProbe(NOW).timings, manifestMs: 80 } }));
    await insert(lightProbe(ago(24, 30)));
    await insert(failedProbe(ago(24, 20), 'server_error'));
    await insert(deepProbe(ago(24, 10), 4_000_000));
    await insert(lightProbe(ago(0, 1)));
    // The allowlist check's probe must not count toward uptime.
    await insert(failedProbe(ago(24, 5), 'forbidden'), 'library/busybox-allowlist');

    const result = await job.run(NOW);
    expect(result.deletedProbes).toBe(1);

    const hourly = await rollups.list(mirror.id, 'hour', new Date(0), LOCAL_VANTAGE_ID);
    expect(hourly.map((bucket) => [bucket.bucketStart.toISOString(), bucket.probes, bucket.successes])).toEqual([
      ['2026-03-07T15:00:00.000Z', 1, 1],
      ['2026-03-09T14:00:00.000Z', 3, 2],
      ['2026-03-10T15:00:00.000Z', 1, 1],
    ]);
    expect(hourly[0]?.manifestP50Ms).toBe(80);
    expect(hourly[1]).toMatchObject({ throughputP50BytesPerSec: 4_000_000, failures: { server_error: 1 } });
    const daily = await rollups.list(mirror.id, 'day', new Date(0), LOCAL_VANTAGE_ID);
    expect(daily.map((bucket) => [bucket.bucketStart.toISOString(), bucket.probes, bucket.successes])).toEqual([
      ['2026-03-07T00:00:00.000Z', 1, 1],
      ['2026-03-09T00:00:00.000Z', 3, 2],
      ['2026-03-10T00:00:00.000Z', 1, 1],
    ]);
    // Raw probes before the cutoff (a UTC day start, 2026-03-08) are gone; newer ones stay.
    expect(await probes.between(mirror.id, new Date(0), new Date('2026-03-08T00:00:00Z'), { vantageId: LOCAL_VANTAGE_ID })).toHaveLength(0);
    expect(await probes.between(mirror.id, new Date('2026-03-08T00:00:00Z'), NOW, { vantageId: LOCAL_VANTAGE_ID })).toHaveLength(5);
  });

  it('is idempotent and resumes at the newest hourly rollup, completing a half-filled hour', async () => {
    await insert(lightProbe(ago(0, 1)));
    await job.run(NOW);
    await insert(failedProbe(new Date(NOW.getTime() + 20 * 60_000), 'timeout'));
    const later = new Date(NOW.getTime() + HOUR);
    const second = await job.run(later);
    expect(second.from.toISOString()).toBe('2026-03-10T15:00:00.000Z');
    await job.run(later);
    const hourly = await rollups.list(mirror.id, 'hour', new Date(0), LOCAL_VANTAGE_ID);
    expect(hourly.map((bucket) => [bucket.bucketStart.toISOString(), bucket.probes, bucket.successes])).toEqual([
      ['2026-03-10T15:00:00.000Z', 2, 1],
    ]);
  });

  it('serves a 7-day history from rollups that matches the raw probes, including hours not rolled up yet', async () => {
    await insert(lightProbe(ago(30, 30), { timings: { ...lightProbe(NOW).timings, manifestMs: 120 } }));
    await insert(failedProbe(ago(30, 20), 'dns'));
    await job.run(ago(2));
    // After the last run: a probe in an hour no rollup covers yet.
    await insert(lightProbe(ago(0, 1), { timings: { ...lightProbe(NOW).timings, manifestMs: 60 } }));

    const dto = await history.history(mirror.id, '7d', LOCAL_VANTAGE_ID, NOW);
    expect(dto.buckets).toHaveLength(168);
    expect(dto.bucketSeconds).toBe(3600);
    const nonEmpty = dto.buckets.filter((bucket) => bucket.probes > 0);
    expect(nonEmpty.map((bucket) => [bucket.start, bucket.probes, bucket.successes, bucket.manifestP50Ms, bucket.failures])).toEqual([
      ['2026-03-09T08:00:00.000Z', 2, 1, 120, { dns: 1 }],
      ['2026-03-10T15:00:00.000Z', 1, 1, 60, {}],
    ]);
    expect(dto.buckets.reduce((sum, bucket) => sum + bucket.probes, 0)).toBe(3);
  });

  it('keeps phase medians and failure classes in the 7d and 30d history after the raw probes are deleted', async () => {
    const timings = { ...lightProbe(NOW).timings, dnsMs: 4, connectMs: 11, tlsMs: 22, pingTtfbMs: 33, tokenMs: 44, manifestMs: 55 };
    await insert(lightProbe(ago(72, 40), { timings }));
    await insert(lightProbe(ago(72, 35), { timings: { ...timings, dnsMs: 6, tokenMs: null } }));
    await insert(lightProbe(ago(72, 30), { timings: { ...timings, dnsMs: 2, tlsMs: 24 } }));
    await insert(failedProbe(ago(72, 20), 'dns'));
    await insert(failedProbe(ago(72, 10), 'tls'));
    await insert(failedProbe(ago(72, 5), 'dns'));

    expect((await job.run(NOW)).deletedProbes).toBe(6);
    expect(await probes.between(mirror.id, new Date(0), NOW, { vantageId: LOCAL_VANTAGE_ID })).toHaveLength(0);

    const expected = {
      probes: 6,
      successes: 3,
      dnsP50Ms: 4,
      connectP50Ms: 11,
      tlsP50Ms: 22,
      firstByteP50Ms: 33,
      tokenP50Ms: 44,
      manifestP50Ms: 55,
      failures: { dns: 2, tls: 1 },
    };
    const week = await history.history(mirror.id, '7d', LOCAL_VANTAGE_ID, NOW);
    expect(week.buckets.filter((bucket) => bucket.probes > 0)).toEqual([
      expect.objectContaining({ start: '2026-03-07T14:00:00.000Z', ...expected }),
    ]);
    const month = await history.history(mirror.id, '30d', LOCAL_VANTAGE_ID, NOW);
    expect(month.buckets.filter((bucket) => bucket.probes > 0)).toEqual([
      expect.objectContaining({ start: '2026-03-07T12:00:00.000Z', ...expected }),
    ]);
    // Daily rollups were computed from the raw probes before they were deleted.
    expect(await rollups.list(mirror.id, 'day', new Date(0), LOCAL_VANTAGE_ID)).toEqual([
      expect.objectContaining({ probes: 6, dnsP50Ms: 4, failures: { dns: 2, tls: 1 } }),
    ]);
  });

  it('rests after every mirror-day and retention batch in proportion to its wall time (the pace of a backfill)', async () => {
    await insert(lightProbe(ago(72)));
    await insert(lightProbe(ago(24, 30)));
    await insert(lightProbe(ago(0, 1)));
    // Every slice reads as 10 ms on this clock; at 20 % busy each is followed by a rest of 40 ms.
    let clock = 0;
    const rests: number[] = [];
    const sleep: Sleep = async (ms) => {
      rests.push(ms);
    };
    let slices = 0;
    const counting = { begin: () => undefined, advance: () => (slices += 1), finish: () => undefined };
    const config = { rawProbeRetentionDays: RETENTION_DAYS, rollupBusyPercent: 100 };
    const paced = new RollupJobService(
      config,
      rollups,
      probes,
      new RollupRedoDayRepository(db.prisma),
      counting,
      new DutyCycle(20, sleep, () => (clock += 10)),
    );

    const result = await paced.run(NOW);
    expect(result).toMatchObject({ aborted: false, deletedProbes: 1 });
    // The mirror-days from the oldest raw probe's day to today, then one retention batch (it deleted fewer than a batch).
    expect(slices).toBe(4);
    expect(rests).toEqual(Array.from({ length: slices + 1 }, () => 40));
  });
});
