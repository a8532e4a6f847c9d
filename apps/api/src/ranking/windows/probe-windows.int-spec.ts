import type { ProbeResult } from '@mirrorwatch/domain';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { MAIN_PROBE_FILTER, PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import type { LeadershipListener, SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeOutcomeRepository } from '#infrastructure/persistence/probe-outcome.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { probeColumns } from '#infrastructure/persistence/probe-record.js';
import { VantageRepository } from '#infrastructure/persistence/vantage.repository.js';
import { deepProbe, failedProbe, lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { ProbeWindowsService } from './probe-windows.service.js';
import { SPEED_WINDOW_MS, STABILITY_WINDOW_MS, type ProbeWindowFacts } from './probe-windows.js';
import { testMirror } from '#infrastructure/persistence/testing/mirror-definition.fixture.js';

/**
 * The leader's in-memory windows must answer exactly what the database's
 * queries answer for the local vantage's probes, after loading and after
 * batches committed since, on a real SQLite database.
 */
const T0 = new Date('2026-03-10T15:20:00.000Z');
const minutesAfter = (base: Date, minutes: number) => new Date(base.getTime() + minutes * 60_000);
const mirror = testMirror;
const IDS = ['a', 'b', 'c'];

/** Every kind of probe the windows tell apart, `index` picking one. */
function probeAt(startedAt: Date, index: number): ProbeResult {
  switch (index % 7) {
    case 0:
      return failedProbe(startedAt, 'timeout');
    case 1:
      return deepProbe(startedAt, 1_000_000 + index);
    case 2:
      return failedProbe(startedAt, 'connect_timeout');
    case 3:
      return failedProbe(startedAt, 'integrity', { kind: 'deep' });
    default:
      return lightProbe(startedAt, { timings: { ...lightProbe(startedAt).timings, manifestMs: 40 + (index % 13) } });
  }
}

describe('ProbeWindowsService on SQLite', () => {
  let db: TestDatabase;
  let probes: ProbeRepository;
  let outcomes: ProbeOutcomeRepository;
  let windows: ProbeWindowsService;
  let leadership: LeadershipListener | null = null;

  /** What MirrorFactsReader's queries answer for the local vantage. */
  async function fromDatabase(now: Date): Promise<ProbeWindowFacts> {
    const local = { vantageId: LOCAL_VANTAGE_ID };
    const main = { ...MAIN_PROBE_FILTER, ...local };
    const since = new Date(now.getTime() - STABILITY_WINDOW_MS);
    return {
      latestLight: await probes.latestByMirror({ ...main, kind: 'light' }),
      latestDeep: await probes.latestByMirror({ ...main, kind: 'deep' }),
      latestSuccessfulDeep: await probes.latestSuccessfulDeepByMirror(IDS, LOCAL_VANTAGE_ID),
      manifestLatencies: await probes.manifestLatenciesSince(new Date(now.getTime() - SPEED_WINDOW_MS), main),
      counts: await probes.successCountsSince(since, main),
      integrityFailures: await probes.failureCountsSince(since, 'integrity', local),
      timeouts: await probes.failureCountsSince(since, 'timeout', main),
      connectTimeouts: await probes.failureCountsSince(since, 'connect_timeout', main),
    };
  }

  /** One batch as a probe cycle writes it: a probe per mirror, one transaction. */
  async function commitCycle(at: Date, index: number): Promise<void> {
    const batch = outcomes.batch();
    const added = IDS.map((id, offset) =>
      batch.add({
        mirrorId: id,
        vantageId: LOCAL_VANTAGE_ID,
        probes: [{ result: probeAt(minutesAfter(at, offset / 10), index + offset), repository: PROBED_REPOSITORY }],
        state: {
          mirrorId: id,
          status: 'up',
          degradedReason: null,
          consecutiveFailures: 0,
          consecutiveSuccesses: 1,
          since: at,
          lastFailureClass: null,
          lastProbeAt: at,
          lastIntegrityFailureAt: null,
          retryNotBefore: null,
          lastDigest: null,
          lastDigestChangeAt: null,
        },
        incident: null,
      }),
    );
    await batch.commit();
    await Promise.all(added);
  }

  beforeAll(async () => {
    db = await openTestDatabase('sqlite', null);
    probes = new ProbeRepository(db.prisma);
    outcomes = new ProbeOutcomeRepository(db.prisma);
    const mirrors = new MirrorRepository(db.prisma);
    await mirrors.syncCatalog(IDS.map(mirror));
    await new VantageRepository(db.prisma).create({ id: 'agent-office', name: 'office', notes: null });
    // 26 hours of history every 20 minutes, plus what the windows must leave out: another vantage's
    // probes and the allowlist check's repository (whose integrity failures still count).
    const rows: ReturnType<typeof probeColumns>[] = [];
    for (let minutes = 26 * 60, index = 0; minutes > 0; minutes -= 20, index += 1) {
      for (const [offset, id] of IDS.entries()) {
        const at = minutesAfter(T0, -minutes + offset);
        rows.push(probeColumns(id, LOCAL_VANTAGE_ID, probeAt(at, index + offset), PROBED_REPOSITORY));
        if (index % 5 === 0) rows.push(probeColumns(id, 'agent-office', lightProbe(minutesAfter(at, 0.5)), PROBED_REPOSITORY));
        if (index % 9 === 0) rows.push(probeColumns(id, LOCAL_VANTAGE_ID, failedProbe(minutesAfter(at, 0.7), 'integrity'), 'someone/else'));
      }
    }
    await db.prisma.client.probe.createMany({ data: rows });
    const fakeLeadership = { subscribe: (listener: LeadershipListener) => (leadership = listener) } as unknown as SchedulerLeadership;
    windows = new ProbeWindowsService(probes, mirrors, outcomes, fakeLeadership);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('reads nothing before it is loaded: the database answers', () => {
    expect(windows.read(T0)).toBeNull();
  });

  it('answers what the database does once loaded, and after cycles committed since, as the window moves', async () => {
    await windows.load(T0);
    expect(windows.read(T0)).toEqual(await fromDatabase(T0));
    for (let cycle = 1; cycle <= 4; cycle += 1) await commitCycle(minutesAfter(T0, cycle * 10), cycle);
    // Two hours on: the oldest probes leave the day, the hour of latencies moves.
    const later = minutesAfter(T0, 120);
    const facts = windows.read(later);
    expect(facts).toEqual(await fromDatabase(later));
    expect(facts?.counts.get('a')?.probes).toBeGreaterThan(0);
    expect(facts?.integrityFailures.get('a')).toBeGreaterThan(0);
    // The window never moves back: a read from before what was forgotten goes to the database.
    expect(windows.read(T0)).toBeNull();
  });

  it('answers the same when loaded a few rows per statement', async () => {
    const paged = new ProbeWindowsService(probes, new MirrorRepository(db.prisma), outcomes, {
      subscribe: () => undefined,
    } as unknown as SchedulerLeadership);
    await paged.load(T0, { pageRows: 7 });
    expect(paged.read(T0)).toEqual(await fromDatabase(T0));
  });

  it('loads a term gained at start-up once the first ranking is built, buffering what is stored meanwhile', async () => {
    let listener: LeadershipListener | null = null;
    const mirrors = new MirrorRepository(db.prisma);
    const listAll = vi.spyOn(mirrors, 'listAll');
    const gated = new ProbeWindowsService(probes, mirrors, outcomes, {
      subscribe: (subscribed: LeadershipListener) => (listener = subscribed),
    } as unknown as SchedulerLeadership);
    const now = minutesAfter(T0, 110);
    // The load reads the day before the clock once it may begin.
    vi.useFakeTimers({ toFake: ['Date'], now });
    try {
      await (listener as LeadershipListener | null)?.gained();
      await commitCycle(minutesAfter(T0, 100), 9);
      // Not begun: an ungated load lists the mirrors at once, long before a cycle is committed.
      expect(listAll).not.toHaveBeenCalled();
      expect(gated.read(now)).toBeNull();
      gated.startUpFinished();
      await expect.poll(() => gated.read(now)).not.toBeNull();
      expect(gated.read(now)).toEqual(await fromDatabase(now));
    } finally {
      vi.useRealTimers();
    }
  });

  it('forgets everything when leadership is lost', async () => {
    await leadership?.lost();
    expect(windows.read(minutesAfter(T0, 130))).toBeNull();
  });
});
