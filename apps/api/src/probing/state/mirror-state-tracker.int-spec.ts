import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '#infrastructure/configuration/load-config.js';
import { MirrorStateRepository } from '#infrastructure/persistence/mirror-state.repository.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { ProbeOutcomeRepository } from '#infrastructure/persistence/probe-outcome.repository.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { deepProbe, failedProbe, lightProbe } from '#infrastructure/persistence/testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from '#infrastructure/persistence/testing/test-database.js';
import { VerdictRepository } from '#infrastructure/persistence/verdict.repository.js';
import type { CoverageService } from '../coverage/coverage.service.js';
import { FreshnessService } from '../freshness/freshness.service.js';
import { MirrorStateEvents } from './mirror-state-events.js';
import { MirrorStateTracker } from './mirror-state-tracker.service.js';
import { PROBED_REPOSITORY } from '#infrastructure/configuration/probed-image.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { testMirror } from '#infrastructure/persistence/testing/mirror-definition.fixture.js';
import { ProbeEngineService } from '../engine-thread/probe-engine.service.js';

/** Its thread starts on a first probe, which nothing here asks for: freshness is judged from given digests. */
const idleEngine = new ProbeEngineService();

/**
 * What a replica that becomes the scheduler takes over from the database
 * (real SQLite, real repositories): a blob failure found by the previous
 * scheduler's last deep probe keeps being confirmed with deep probes, instead
 * of light probes that pass bringing the mirror back up.
 */
const T0 = new Date('2026-11-30T07:00:00.000Z');
const mirror = testMirror;

describe('MirrorStateTracker.load, after another replica probed', () => {
  let db: TestDatabase;
  let tracker: MirrorStateTracker;

  beforeAll(async () => {
    db = await openTestDatabase('sqlite', null);
    await new MirrorRepository(db.prisma).syncCatalog([mirror('corrupt'), mirror('recovered'), mirror('healthy')]);
    const probes = new ProbeRepository(db.prisma);
    const corrupt = failedProbe(T0, 'integrity', { kind: 'deep', failedPhase: 'blob', detail: 'blob digest mismatch' });
    await probes.insert('corrupt', LOCAL_VANTAGE_ID, corrupt, PROBED_REPOSITORY);
    await probes.insert('corrupt', LOCAL_VANTAGE_ID, lightProbe(new Date(T0.getTime() + 60_000)), PROBED_REPOSITORY);
    // An older blob failure, cleared by a later deep probe that passed.
    await probes.insert('recovered', LOCAL_VANTAGE_ID, { ...corrupt, startedAt: T0 }, PROBED_REPOSITORY);
    await probes.insert('recovered', LOCAL_VANTAGE_ID, deepProbe(new Date(T0.getTime() + 60_000), 1e6), PROBED_REPOSITORY);
    await probes.insert('healthy', LOCAL_VANTAGE_ID, lightProbe(T0), PROBED_REPOSITORY);
    const states = new MirrorStateRepository(db.prisma);
    for (const [id, status] of [
      ['corrupt', 'down'],
      ['recovered', 'up'],
      ['healthy', 'up'],
    ] as const) {
      await states.upsert({
        mirrorId: id,
        status,
        degradedReason: null,
        consecutiveFailures: status === 'down' ? 2 : 0,
        consecutiveSuccesses: status === 'down' ? 0 : 2,
        since: T0,
        lastFailureClass: status === 'down' ? 'integrity' : null,
        lastProbeAt: T0,
        lastIntegrityFailureAt: status === 'down' ? T0 : null,
        retryNotBefore: null,
        lastDigest: null,
        lastDigestChangeAt: null,
      });
    }
    const config = loadConfig({});
    // Not used by load(): what it reads is the database.
    const coverage = {} as CoverageService;
    tracker = new MirrorStateTracker(
      config,
      states,
      probes,
      new ProbeOutcomeRepository(db.prisma),
      new FreshnessService(config, new VerdictRepository(db.prisma), new MirrorRepository(db.prisma), idleEngine),
      coverage,
      new MirrorStateEvents(),
    );
    await tracker.load();
  });

  afterAll(async () => {
    await db?.close();
  });

  it('keeps confirming a blob failure found by the last stored deep probe', () => {
    expect(tracker.needsDeepConfirmation('corrupt')).toBe(true);
  });

  it('does not for a mirror whose latest deep probe passed, or that never failed one', () => {
    expect(tracker.needsDeepConfirmation('recovered')).toBe(false);
    expect(tracker.needsDeepConfirmation('healthy')).toBe(false);
  });
});
