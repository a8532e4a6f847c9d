import { Inject, Injectable, Logger } from '@nestjs/common';
import { DOCKER_HUB_REGISTRY, upstreamOf, type ProbeKind } from '@mirrorwatch/domain';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { runBounded } from './bounded-pool.js';
import { ProbeCycleEvents } from './probe-cycle-events.js';
import { MirrorProberService } from './mirror-prober.service.js';
import { MirrorStateTracker } from './state/mirror-state-tracker.service.js';
import { FreshnessService } from './freshness/freshness.service.js';
import { CoverageService } from './coverage/coverage.service.js';

/** Share of the interval over which probe starts are spread. */
const STAGGER_SHARE = 0.5;
/** Widest gap between two probe starts: enough to avoid bursts, short enough that a long (deep) interval does not delay results by many minutes. */
const MAX_SPACING_MS = 2_000;
/** Random extra delay per probe, as a share of the even spacing, so cycles do not align with other schedulers. */
const JITTER_SHARE = 0.25;

export interface CycleOptions {
  kind: ProbeKind;
  signal: AbortSignal;
  /** The cycle's interval; starts are spread over part of it. */
  budgetMs: number;
}

/** One probe cycle of one kind: probe every enabled mirror (bounded, staggered), then announce the cycle once (ranking rebuilds). */
@Injectable()
export class ProbeCycleService {
  private readonly logger = new Logger(ProbeCycleService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mirrors: MirrorRepository,
    private readonly prober: MirrorProberService,
    private readonly tracker: MirrorStateTracker,
    private readonly events: ProbeCycleEvents,
    private readonly freshness: FreshnessService,
    private readonly coverage: CoverageService,
  ) {}

  async run({ kind, signal, budgetMs }: CycleOptions): Promise<void> {
    await this.tracker.load();
    const mirrors = await this.mirrors.listEnabled();
    const upstreamById = new Map(mirrors.map((mirror) => [mirror.id, upstreamOf(mirror)]));
    if (kind === 'deep') await this.freshness.refreshReferences(upstreamById.values(), signal);
    const startedAt = Date.now();
    const spacingMs = mirrors.length > 0 ? Math.min(MAX_SPACING_MS, (budgetMs * STAGGER_SHARE) / mirrors.length) : 0;
    const waves = Math.ceil(mirrors.length / this.config.probeConcurrency);
    let probed = 0;
    // The cycle's outcomes are written in a few transactions when it ends (issue 10), also when it is aborted:
    // what was probed is kept. A failed write reports per mirror.
    const batch = this.tracker.batch();
    const stored: Promise<void>[] = [];
    try {
      await runBounded(mirrors, {
        concurrency: this.config.probeConcurrency,
        signal,
        // Spread only as much as concurrency requires: with room for everyone, start all within the first wave.
        staggerMs: (index) => {
          const slot = waves <= 1 ? 0 : index * spacingMs;
          const jitter = Math.random() * spacingMs * JITTER_SHARE;
          return Math.max(0, startedAt + slot + jitter - Date.now());
        },
        work: async (mirror) => {
          if (signal.aborted) return;
          const attempt = await this.prober.probe(mirror, kind, signal, batch);
          if (attempt === null) return;
          probed += 1;
          stored.push(
            attempt.stored.then(
              () => undefined,
              (error: unknown) => this.reportUnrecorded(mirror.id, error),
            ),
          );
        },
        onError: (mirror, error) => this.reportUnrecorded(mirror.id, error),
      });
    } finally {
      await batch.commit();
      await Promise.all(stored);
    }
    if (signal.aborted) return;
    if (kind === 'deep') await this.coverage.afterDeepCycle(signal);
    await this.freshness.evaluate(this.tracker.servedDigests(), (id) => upstreamById.get(id) ?? DOCKER_HUB_REGISTRY);
    // Ranking subscribes and rebuilds before the cycle counts as finished.
    await this.events.cycleFinished({ kind });
    this.logger.log({ msg: 'probe cycle finished', kind, mirrors: mirrors.length, probed, durationMs: Date.now() - startedAt });
  }

  private reportUnrecorded(mirrorId: string, error: unknown): void {
    this.logger.error({
      msg: 'probe could not be recorded',
      mirror: mirrorId,
      err: error instanceof Error ? error.message : String(error),
    });
  }
}
