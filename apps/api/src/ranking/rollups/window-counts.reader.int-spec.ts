import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { failedProbe, lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import { WindowCountsReader } from './window-counts.reader.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { testMirror } from '#infrastructure/persistence/testing/mirror-definition.fixture.js';

/** Counts from rollups plus raw edges must equal counting the raw probes, on a real SQLite database. */
const NOW = new Date('2026-03-10T15:20:00.000Z');
const minutesAgo = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000);
const mirror = testMirror;

describe('WindowCountsReader on SQLite', () => {
  let db: TestDatabase;
  let probes: ProbeRepository;
  let rollups: RollupRepository;
  let reader: WindowCountsReader;

  beforeAll(async () => {
    db = await openTestDatabase('sqlite', null);
    probes = new ProbeRepository(db.prisma);
    rollups = new RollupRepository(db.prisma);
  });
  afterAll(async () => {
    await db?.close();
  });
  beforeEach(async () => {
    await db.reset();
    reader = new WindowCountsReader(probes, rollups);
    await new MirrorRepository(db.prisma).syncCatalog([mirror('a'), mirror('b')]);
    // Every 10 minutes over 30 hours; b fails one probe in three.
    for (let minutes = 30 * 60; minutes >= 10; minutes -= 10) {
      await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(minutesAgo(minutes)), PROBED_REPOSITORY);
      await probes.insert(
        'b',
        LOCAL_VANTAGE_ID,
        minutes % 30 === 0 ? failedProbe(minutesAgo(minutes), 'timeout') : lightProbe(minutesAgo(minutes)),
        PROBED_REPOSITORY,
      );
    }
  });

  const since = minutesAgo(24 * 60);
  const LOCAL_MAIN = { vantageId: LOCAL_VANTAGE_ID, repository: PROBED_REPOSITORY };

  it("counts one vantage's probes, from its own rollups and raw rows: an agent's rows never reach the local counts", async () => {
    await db.prisma.client.vantage.create({ data: { id: 'agent-net', name: 'agent' } });
    // The agent sees mirror a failing every ten minutes over the same 30 hours, and keeps failing after the rollup.
    for (let minutes = 30 * 60; minutes >= 10; minutes -= 10)
      await probes.insert('a', 'agent-net', failedProbe(minutesAgo(minutes), 'connect_refused'), PROBED_REPOSITORY);
    for (const id of ['a', 'b']) {
      for (const day of ['2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z'])
        await rollups.rollUpMirrorDay(id, new Date(day), { repository: PROBED_REPOSITORY });
    }
    await probes.insert('a', 'agent-net', failedProbe(minutesAgo(3), 'connect_refused'), PROBED_REPOSITORY);

    const local = await reader.countsBetween(LOCAL_VANTAGE_ID, since, null, NOW);
    expect(local).toEqual(await probes.successCountsSince(since, LOCAL_MAIN));
    expect(local.get('a')).toEqual({ probes: 144, successes: 144 });
    const agent = await reader.countsBetween('agent-net', since, null, NOW);
    expect(agent).toEqual(await probes.successCountsSince(since, { ...LOCAL_MAIN, vantageId: 'agent-net' }));
    expect(agent).toEqual(new Map([['a', { probes: 145, successes: 0 }]]));
  });

  it('matches the raw count of the last 24 h with rollups through a half-finished hour and raw probes after it', async () => {
    for (const id of ['a', 'b']) {
      for (const day of ['2026-03-09T00:00:00Z', '2026-03-10T00:00:00Z'])
        await rollups.rollUpMirrorDay(id, new Date(day), { repository: PROBED_REPOSITORY });
    }
    // Probed after the rollup ran, in the hour its newest bucket holds.
    await probes.insert('a', LOCAL_VANTAGE_ID, failedProbe(minutesAgo(5), 'timeout'), PROBED_REPOSITORY);
    await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(minutesAgo(1)), PROBED_REPOSITORY);

    const expected = await probes.successCountsSince(since, LOCAL_MAIN);
    expect(await reader.countsBetween(LOCAL_VANTAGE_ID, since, null, NOW)).toEqual(expected);
    expect(expected.get('a')).toEqual({ probes: 146, successes: 145 });
  });

  it("counts today's probes when the window ends at midnight, in the future (the status page's today cell)", async () => {
    // Rolled up through this hour's start: the raw probes since then must count, though the window's end is 8.7 h away.
    for (const id of ['a', 'b']) await rollups.rollUpMirrorDay(id, new Date('2026-03-10T00:00:00Z'), { repository: PROBED_REPOSITORY });
    await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(minutesAgo(2)), PROBED_REPOSITORY);
    const today = { from: new Date('2026-03-10T00:00:00Z'), to: new Date('2026-03-11T00:00:00Z') };
    const expected = await probes.successCountsBetween(today.from, NOW, LOCAL_MAIN);
    expect(await reader.countsBetween(LOCAL_VANTAGE_ID, today.from, today.to, NOW)).toEqual(expected);
    // Without any rollup yet, the raw read is bounded to the newest 3 hours before now, not before midnight.
    await db.reset();
    await new MirrorRepository(db.prisma).syncCatalog([mirror('a')]);
    await probes.insert('a', LOCAL_VANTAGE_ID, lightProbe(minutesAgo(30)), PROBED_REPOSITORY);
    expect(await reader.countsBetween(LOCAL_VANTAGE_ID, today.from, today.to, NOW)).toEqual(new Map([['a', { probes: 1, successes: 1 }]]));
  });

  it('counts whole days from rollups alone, and a window inside one hour from raw probes alone', async () => {
    for (const id of ['a', 'b']) await rollups.rollUpMirrorDay(id, new Date('2026-03-09T00:00:00Z'), { repository: PROBED_REPOSITORY });
    const day = { from: new Date('2026-03-09T00:00:00Z'), to: new Date('2026-03-10T00:00:00Z') };
    expect(await reader.countsBetween(LOCAL_VANTAGE_ID, day.from, day.to, NOW)).toEqual(
      await probes.successCountsBetween(day.from, day.to, LOCAL_MAIN),
    );
    const inside = { from: new Date('2026-03-09T10:05:00Z'), to: new Date('2026-03-09T10:35:00Z') };
    expect(await reader.countsBetween(LOCAL_VANTAGE_ID, inside.from, inside.to, NOW)).toEqual(
      await probes.successCountsBetween(inside.from, inside.to, LOCAL_MAIN),
    );
  });

  it('reads only the last 3 hours of raw probes when no rollup covers the window (before or during a backfill)', async () => {
    const counts = await reader.countsBetween(LOCAL_VANTAGE_ID, since, null, NOW);
    // 3 h at one probe per 10 minutes, the newest 10 minutes ago: 18 probes each.
    expect(counts.get('a')).toEqual({ probes: 18, successes: 18 });
    expect(counts.get('b')?.probes).toBe(18);
  });
});
