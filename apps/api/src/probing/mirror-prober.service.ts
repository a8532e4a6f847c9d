import { Inject, Injectable, Logger } from '@nestjs/common';
import { isDockerdMirror, type MirrorDefinition, type ProbeKind } from '@mirrorwatch/domain';
import { resolveProbeOptions, type ProbeOptions } from '@mirrorwatch/probe';
import { MirrorTargets } from './targets/mirror-targets.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { ProbeOutcomeBatch, ProbeRowInput } from '#infrastructure/persistence/probe-outcome.repository.js';
import type { MirrorState } from '@mirrorwatch/scoring';
import { probeImageFor, type MirrorProbeImage } from '#infrastructure/configuration/probed-image.js';
import { MirrorStateTracker } from './state/mirror-state-tracker.service.js';
import { ProbeBudgetService } from './budget/probe-budget.service.js';
import { CoverageProberService } from './coverage/coverage-prober.service.js';
import { ProbeEngineService } from './engine-thread/probe-engine.service.js';

/** A probe that ran; wrapped, so an async caller does not wait for the cycle's commit by awaiting it. */
export interface ProbeAttempt {
  stored: Promise<MirrorState>;
}

/**
 * Probes one mirror the way dockerd pulls through it and records the outcome.
 * Light probes run every cycle; a deep probe (blob download and digest check)
 * and the coverage checks (a manifest per coverage image) run at the deep
 * cadence, so public mirrors with tight rate limits see few requests from us.
 */
@Injectable()
export class MirrorProberService {
  private readonly logger = new Logger(MirrorProberService.name);
  private readonly targets: MirrorTargets;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tracker: MirrorStateTracker,
    private readonly budget: ProbeBudgetService,
    private readonly coverage: CoverageProberService,
    private readonly engine: ProbeEngineService,
  ) {
    this.targets = new MirrorTargets(config);
  }

  /**
   * Probes `mirror` unless it asked us to stay away (429 Retry-After) or its
   * hourly budget is spent (null). The outcome goes into the cycle's `batch`:
   * `stored` settles when the cycle has committed it, so the probe's slot is
   * free as soon as the probe itself is done. The engine thread starts the
   * probe at `startAt` (epoch ms) if that is still ahead, on its own clock;
   * null too if `signal` fires before then (nothing was sent, nothing is stored).
   */
  async probe(
    mirror: MirrorDefinition,
    kind: ProbeKind,
    signal: AbortSignal,
    batch: ProbeOutcomeBatch,
    startAt?: number,
  ): Promise<ProbeAttempt | null> {
    const now = Date.now();
    if (this.tracker.mustWait(mirror.id, now)) return null;
    if (!this.budget.take(mirror.id, 'scheduled', now)) {
      this.logger.warn({ msg: 'probe budget spent; skipping', mirror: mirror.id, budgetPerHour: this.config.probeBudgetPerHour });
      return null;
    }
    const target = await this.targets.of(mirror);
    // After a blob failure the next probe goes deep again, so one blip clears within an interval.
    if (kind === 'light' && this.tracker.needsDeepConfirmation(mirror.id)) kind = 'deep';
    // Each upstream's mirrors pull that upstream's probe image, under the mirror's path prefix if it has one.
    const image = probeImageFor(mirror);
    // On the engine thread: the API's request load cannot delay the socket events the timings come from.
    const result = await this.engine.probe(target, this.options(kind, image, signal), startAt ?? now);
    if (result === null) return null;
    const rows: ProbeRowInput[] = [{ result, repository: image.storedRepository }];
    // Coverage rides on the deep cadence: more images per light probe would multiply our load on public mirrors.
    // A mirror that does not serve library/alpine has nothing to say about other images. The coverage
    // images are Docker Hub's: only Docker Hub mirrors served at the root are asked for them.
    if (kind === 'deep' && result.ok && isDockerdMirror(mirror)) await this.coverage.probeMirror(mirror, target, signal);
    // The probe row, the state and any incident change are stored together (with the cycle's others).
    const stored = this.tracker.record(mirror, result, rows, batch);
    if (!result.ok) {
      this.logger.debug({ msg: 'probe failed', mirror: mirror.id, kind, failureClass: result.failureClass, phase: result.failedPhase });
    }
    return { stored };
  }

  private options(kind: ProbeKind, image: MirrorProbeImage, signal: AbortSignal): ProbeOptions {
    const base = resolveProbeOptions({ kind, repository: image.requestRepository, reference: image.reference });
    // A light probe must finish well inside one interval so cycles keep their rhythm.
    const intervalBudget = Math.floor(this.config.probeIntervalSeconds * 1000 * 0.8);
    const totalMs = kind === 'light' ? Math.min(base.timeouts.totalMs, intervalBudget) : base.timeouts.totalMs;
    return { ...base, signal, timeouts: { ...base.timeouts, totalMs }, caps: { ...base.caps, blobBytes: this.config.deepProbeMaxBytes } };
  }
}
