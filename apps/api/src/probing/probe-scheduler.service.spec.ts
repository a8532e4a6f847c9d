import { describe, expect, it, vi } from 'vitest';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import type { LeadershipListener, SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import type { CoverageRepository } from '#infrastructure/persistence/coverage.repository.js';
import type { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import type { StoredEvaluation, VerdictRepository } from '#infrastructure/persistence/verdict.repository.js';
import { FreshnessService } from './freshness/freshness.service.js';
import type { ProbeCycleService } from './probe-cycle.service.js';
import { ProbeSchedulerService } from './probe-scheduler.service.js';
import type { MirrorStateTracker } from './state/mirror-state-tracker.service.js';
import { ProbeEngineService } from './engine-thread/probe-engine.service.js';

/** Its thread starts on a first probe, which nothing here asks for: freshness is judged from given digests. */
const idleEngine = new ProbeEngineService();

/**
 * Issue 10: in its term the scheduler serves the stored freshness evaluations
 * and the coverage evidence from memory (it is their only writer then). When
 * the term ends another replica writes them, so both copies must go, or this
 * replica would go on serving what it last wrote.
 */
describe('ProbeSchedulerService: the memory of a term', () => {
  function scheduler() {
    let listener: LeadershipListener | null = null;
    const leadership = { subscribe: (subscribed: LeadershipListener) => (listener = subscribed) } as unknown as SchedulerLeadership;
    const verdicts = { loadAll: async () => new Map<string, StoredEvaluation>() } as unknown as VerdictRepository;
    const mirrors = { onDeleted: () => undefined } as unknown as MirrorRepository;
    const freshness = new FreshnessService(loadConfig({}), verdicts, mirrors, idleEngine);
    const coverage = { keepCopy: vi.fn(), dropCopy: vi.fn() };
    const cycle = { run: async () => undefined, settleCarried: async () => undefined } as unknown as ProbeCycleService;
    const tracker = { reload: async () => undefined } as unknown as MirrorStateTracker;
    const service = new ProbeSchedulerService(
      loadConfig({}),
      cycle,
      tracker,
      freshness,
      leadership,
      coverage as unknown as CoverageRepository,
    );
    service.onModuleInit();
    const term = () => {
      if (listener === null) throw new Error('the scheduler did not subscribe to leadership');
      return listener;
    };
    return { service, freshness, coverage, term };
  }

  it('keeps the copies from the start of a term, and drops them when leadership is lost', async () => {
    const { service, freshness, coverage, term } = scheduler();
    expect(freshness.storedEvaluations()).toBeNull();

    await term().gained();
    expect(freshness.storedEvaluations()).not.toBeNull();
    expect(coverage.keepCopy).toHaveBeenCalledTimes(1);
    expect(coverage.dropCopy).not.toHaveBeenCalled();

    await term().lost();
    expect(freshness.storedEvaluations()).toBeNull();
    expect(coverage.dropCopy).toHaveBeenCalledTimes(1);
    await service.onApplicationShutdown();
  });

  it('drops them on shutdown too', async () => {
    const { service, freshness, coverage, term } = scheduler();
    await term().gained();
    await service.onApplicationShutdown();
    expect(freshness.storedEvaluations()).toBeNull();
    expect(coverage.dropCopy).toHaveBeenCalled();
  });
});
