import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { testMirror } from '#infrastructure/persistence/testing/mirror-definition.fixture.js';
import { CatchUpProgress, type CatchUpSnapshot } from '../catch-up-progress.js';
import { RollupJobThread } from './rollup-job-thread.js';

/** The thread runs compiled code, as in the product: apps/api/dist (npm run build). */
const WORKER = new URL('../../../../dist/rollup-worker.js', import.meta.url);
const DAY = 86_400_000;
const START = new Date('2026-03-01T10:30:00.000Z');
const mirrors: MirrorDefinition[] = ['m1', 'm2'].map(testMirror);

/** Records what readiness would have shown while the pass ran. */
class RecordingProgress extends CatchUpProgress {
  readonly seen: CatchUpSnapshot[] = [];
  override advance(): void {
    super.advance();
    this.seen.push(this.snapshot());
  }
}

/**
 * The rollup pass on its own thread against a real SQLite file: it runs off
 * the calling thread with its own connection, relays its progress, writes the
 * buckets the caller then reads, stops when aborted, and a later pass (a new
 * thread, as after a restart) resumes from what the database holds.
 */
describe('RollupJobThread on SQLite', () => {
  let db: TestDatabase;
  let rollups: RollupRepository;
  const thread = new RollupJobThread(WORKER);
  const run = (now: Date, progress = new CatchUpProgress(), signal?: AbortSignal) =>
    thread.run({ databaseUrl: db.url, rawProbeRetentionDays: 30, rollupBusyPercent: 100, now, progress, signal });

  beforeAll(async () => {
    if (!existsSync(fileURLToPath(WORKER))) throw new Error(`${fileURLToPath(WORKER)} is missing: run npm run build first`);
    db = await openTestDatabase('sqlite', null);
    rollups = new RollupRepository(db.prisma);
    await new MirrorRepository(db.prisma).syncCatalog(mirrors);
    const probes = new ProbeRepository(db.prisma);
    // One probe a day for four days, per mirror.
    for (const mirror of mirrors)
      for (let day = 0; day < 4; day += 1)
        await probes.insert(mirror.id, LOCAL_VANTAGE_ID, lightProbe(new Date(START.getTime() + day * DAY)), PROBED_REPOSITORY);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stops before its first slice when aborted, writing nothing', async () => {
    const result = await run(new Date(START.getTime() + 3 * DAY), new CatchUpProgress(), AbortSignal.abort());
    expect(result).toMatchObject({ aborted: true, hourBuckets: 0 });
    expect(await rollups.latestBucketStart('hour')).toBeNull();
  });

  it('rolls up on another thread, relaying progress slice by slice', async () => {
    const progress = new RecordingProgress();
    const result = await run(new Date(START.getTime() + DAY + 3_600_000), progress);
    expect(result.threadId).not.toBe(threadId);
    expect(result).toMatchObject({ aborted: false, hourBuckets: 4, dayBuckets: 4 });
    expect(result.from.toISOString()).toBe(START.toISOString());
    // Two days × two mirrors, counted up while the pass ran; idle again afterwards.
    expect(progress.seen.map((s) => [s.catchingUp, s.done, s.total])).toEqual([1, 2, 3, 4].map((done) => [true, done, 4]));
    expect(progress.snapshot()).toEqual({ catchingUp: false, done: 0, total: 0, fromDay: null });
    expect((await rollups.list('m1', 'day', new Date(0), LOCAL_VANTAGE_ID)).map((b) => b.bucketStart.toISOString())).toEqual([
      '2026-03-01T00:00:00.000Z',
      '2026-03-02T00:00:00.000Z',
    ]);
  });

  it('resumes, in a new thread, at the newest hourly rollup the database holds', async () => {
    const result = await run(new Date(START.getTime() + 3 * DAY + 3_600_000));
    expect(result.from.toISOString()).toBe('2026-03-02T10:00:00.000Z');
    // Three days (the resumed one redone whole) × two mirrors.
    expect(result).toMatchObject({ aborted: false, hourBuckets: 6, dayBuckets: 6 });
    expect(await rollups.list('m2', 'day', new Date(0), LOCAL_VANTAGE_ID)).toHaveLength(4);
  });
});
