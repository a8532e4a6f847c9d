import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import type { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import type { ProbeOutcomeBatch } from '#infrastructure/persistence/probe-outcome.repository.js';
import type { CoverageService } from './coverage/coverage.service.js';
import type { FreshnessService } from './freshness/freshness.service.js';
import type { MirrorProberService, ProbeAttempt } from './mirror-prober.service.js';
import { ProbeCycleService } from './probe-cycle.service.js';
import type { ProbeCycleEvents } from './probe-cycle-events.js';
import type { MirrorStateTracker } from './state/mirror-state-tracker.service.js';

/**
 * The cycle's deadline with a mirror that never answers on its own: the
 * hanging mirror's probe ends only when the test lets it. Everything around
 * the cycle is a stand-in that records what was written when; the real
 * pieces (engine, lab's hanging mirror, SQLite) are covered by spine.int-spec.
 */
function setup() {
  const mirrors = ['fast-1', 'hang', 'fast-2'].map((id) => ({ id, url: `http://127.0.0.1/${id}` }) as unknown as MirrorDefinition);
  const written: string[][] = [];
  const writtenAlone: string[] = [];
  const started: string[] = [];
  const startTimes: Array<number | undefined> = [];
  let releaseHang: () => void = () => undefined;
  const tracker = {
    load: async () => undefined,
    servedDigests: () => [],
    batch: (): ProbeOutcomeBatch => {
      const queued: string[] = [];
      let committed = false;
      return {
        add: async (outcome) => {
          if (committed) writtenAlone.push(outcome.mirrorId);
          else queued.push(outcome.mirrorId);
        },
        commit: async () => {
          committed = true;
          written.push(queued.splice(0).sort());
        },
      };
    },
  } as unknown as MirrorStateTracker;
  const prober = {
    probe: async (
      mirror: MirrorDefinition,
      _kind: string,
      _signal: AbortSignal,
      batch: ProbeOutcomeBatch,
      startAt?: number,
    ): Promise<ProbeAttempt> => {
      started.push(mirror.id);
      startTimes.push(startAt);
      if (mirror.id === 'hang') await new Promise<void>((resolve) => (releaseHang = resolve));
      const stored = batch.add({ mirrorId: mirror.id } as never).then(() => ({}) as never);
      return { stored };
    },
  } as unknown as MirrorProberService;
  const cycleEnds: number[] = [];
  const service = new ProbeCycleService(
    { probeConcurrency: 4 } as AppConfig,
    { listEnabled: async () => mirrors } as unknown as MirrorRepository,
    prober,
    tracker,
    { cycleFinished: async () => void cycleEnds.push(Date.now()) } as unknown as ProbeCycleEvents,
    { evaluate: async () => undefined } as unknown as FreshnessService,
    {} as CoverageService,
  );
  return { service, written, writtenAlone, started, startTimes, cycleEnds, releaseHang: () => releaseHang() };
}

describe('ProbeCycleService deadline', () => {
  it('finalises at its deadline without the hanging probe, which is stored alone when it ends', async () => {
    const { service, written, writtenAlone, started, cycleEnds, releaseHang } = setup();
    const signal = new AbortController().signal;
    const report = await service.run({ kind: 'light', signal, budgetMs: 1000, deadlineAt: Date.now() + 150 });
    expect(report).toEqual({ carried: 1, heldBack: 0, notStarted: 0 });
    expect(written).toEqual([['fast-1', 'fast-2']]);
    expect(cycleEnds).toHaveLength(1);

    // The next cycle probes the others and leaves the hanging mirror alone: its probe still runs.
    const next = await service.run({ kind: 'light', signal, budgetMs: 1000, deadlineAt: Date.now() + 150 });
    expect(next).toEqual({ carried: 0, heldBack: 1, notStarted: 0 });
    expect(started.filter((id) => id === 'hang')).toHaveLength(1);
    expect(written[1]).toEqual(['fast-1', 'fast-2']);

    releaseHang();
    await service.settleCarried();
    expect(writtenAlone).toEqual(['hang']);
  });

  it('waits for a mirror whose previous probe ends before the deadline, then probes it', async () => {
    const { service, written, started, releaseHang } = setup();
    const signal = new AbortController().signal;
    // Starts are jittered by up to a quarter of the spacing (here about 40 ms): the deadline leaves room for all.
    expect(await service.run({ kind: 'light', signal, budgetMs: 1000, deadlineAt: Date.now() + 150 })).toMatchObject({ carried: 1 });
    const next = service.run({ kind: 'light', signal, budgetMs: 1000, deadlineAt: Date.now() + 5_000 });
    setTimeout(releaseHang, 20);
    // The second probe of the hanging mirror starts only after the first has ended (and hangs in its turn).
    setTimeout(releaseHang, 60);
    expect(await next).toEqual({ carried: 0, heldBack: 0, notStarted: 0 });
    expect(started.filter((id) => id === 'hang')).toHaveLength(2);
    expect(written[1]).toEqual(expect.arrayContaining(['fast-1', 'fast-2', 'hang']));
  });

  it('starts its first probe at the time the cycle is due and the others after it', async () => {
    const { service, started, startTimes, releaseHang } = setup();
    // Ahead by more than the stand-ins' reads take even on a loaded machine (a cycle already late starts now).
    const startAt = Date.now() + 300;
    const cycle = service.run({ kind: 'light', signal: new AbortController().signal, budgetMs: 1000, startAt, deadlineAt: startAt + 300 });
    // The hanging mirror's probe is carried at the deadline; let it end for the next test file's sake.
    expect(await cycle).toMatchObject({ carried: 1 });
    releaseHang();
    expect([...started].sort()).toEqual(['fast-1', 'fast-2', 'hang']);
    // The cycle's start is the schedule's: no jitter on the first probe, which the engine starts then.
    expect(startTimes[0]).toBe(startAt);
    for (const time of startTimes.slice(1)) expect(time).toBeGreaterThanOrEqual(startAt);
  });

  it("leaves the term's long-lived signal as it found it, however many cycles it runs", async () => {
    const { service, releaseHang } = setup();
    const term = new AbortController();
    for (let cycle = 0; cycle < 3; cycle += 1) {
      await service.run({ kind: 'light', signal: term.signal, budgetMs: 1000, deadlineAt: Date.now() + 100 });
      releaseHang();
    }
    expect(getEventListeners(term.signal, 'abort')).toHaveLength(0);
    // AbortSignal.any would have left one dependant per cycle on it (Node 20 empties that set only when the term aborts).
    const dependants = Object.getOwnPropertySymbols(term.signal).find((symbol) => symbol.description === 'kDependantSignals');
    expect(dependants === undefined ? 0 : (term.signal as unknown as Record<symbol, Set<unknown>>)[dependants]?.size).toBe(0);
  });
});
