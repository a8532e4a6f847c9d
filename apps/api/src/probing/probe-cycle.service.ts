import { Inject, Injectable, Logger } from '@nestjs/common';
import { DOCKER_HUB_REGISTRY, upstreamOf, type MirrorDefinition, type ProbeKind } from '@mirrorwatch/domain';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { MirrorRepository } from '#infrastructure/persistence/mirror.repository.js';
import { runBounded } from './bounded-pool.js';
import { ProbeCycleEvents } from './probe-cycle-events.js';
import { MirrorProberService } from './mirror-prober.service.js';
import { MirrorStateTracker } from './state/mirror-state-tracker.service.js';
import { FreshnessService } from './freshness/freshness.service.js';
import { CoverageService } from './coverage/coverage.service.js';
import { ProbesInFlight } from './probes-in-flight.js';
import { scheduleLeadMs } from './schedule-clock.js';
import { probeWaveStarts } from './probe-waves.js';
import { linkedAbort } from '#infrastructure/timing/linked-abort.js';

export interface CycleOptions {
  kind: ProbeKind;
  signal: AbortSignal;
  /** The cycle's interval; starts are spread over part of it. */
  budgetMs: number;
  /**
   * When the cycle's first probe is due (epoch ms); the others follow at
   * their spread. Defaults to now. A cycle prepared ahead of it hands its
   * probes to the engine thread early, and the engine starts each on time.
   */
  startAt?: number;
  /**
   * When the cycle finalises (epoch ms, before the next tick): it writes what
   * finished, and probes still running are carried (see ProbesInFlight).
   * Defaults to one interval from now.
   */
  deadlineAt?: number;
}

/** What a cycle left to later cycles. */
export interface CycleReport {
  /** Probes still running at the deadline: they store their outcomes when they end. */
  carried: number;
  /** Mirrors not probed: their previous probe was still running at the deadline. */
  heldBack: number;
  /** Mirrors whose turn had not come by the deadline (a loaded machine, too few slots). */
  notStarted: number;
}

/** One mirror's probe in a cycle and when it is due (epoch ms). */
interface Turn {
  mirror: MirrorDefinition;
  startAt: number;
}

/**
 * One probe cycle of one kind: probe every enabled mirror (bounded, staggered),
 * then announce the cycle once (ranking rebuilds). A cycle ends by its
 * deadline whatever its slowest mirror does, so the next tick always starts
 * on time for every other mirror.
 */
@Injectable()
export class ProbeCycleService {
  private readonly logger = new Logger(ProbeCycleService.name);
  /** Shared by both lanes and every cycle: one probe per mirror at a time. */
  private readonly inFlight = new ProbesInFlight();
  /** Writes of outcomes not yet stored, carried probes' included: shutdown waits for them. */
  private readonly writes = new Set<Promise<void>>();

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly mirrors: MirrorRepository,
    private readonly prober: MirrorProberService,
    private readonly tracker: MirrorStateTracker,
    private readonly events: ProbeCycleEvents,
    private readonly freshness: FreshnessService,
    private readonly coverage: CoverageService,
  ) {}

  async run({ kind, signal, budgetMs, startAt = Date.now(), deadlineAt = Date.now() + budgetMs }: CycleOptions): Promise<CycleReport> {
    await this.tracker.load();
    const mirrors = await this.mirrors.listEnabled();
    const upstreamById = new Map(mirrors.map((mirror) => [mirror.id, upstreamOf(mirror)]));
    if (kind === 'deep') await this.freshness.refreshReferences(upstreamById.values(), signal);
    const startedAt = Math.max(startAt, Date.now());
    const turns = this.turnsOf(mirrors, kind, budgetMs, startedAt);
    // Each probe goes to the engine thread this long before its turn, so a late timer here does not make it late.
    const handOverLeadMs = scheduleLeadMs(budgetMs);
    const report: CycleReport = { carried: 0, heldBack: 0, notStarted: 0 };
    let reached = 0;
    let probed = 0;
    // At the deadline no further probe starts and the cycle stops waiting for the ones still running.
    const pastDeadline = new AbortController();
    const timer = setTimeout(() => pastDeadline.abort(), Math.max(0, deadlineAt - Date.now()));
    const deadline = new Promise<void>((resolve) => pastDeadline.signal.addEventListener('abort', () => resolve(), { once: true }));
    // The cycle's outcomes are written in a few transactions when it ends (issue 10), also when it is aborted:
    // what was probed is kept. A failed write reports per mirror. A carried probe's outcome, recorded
    // after that commit, is written on its own (grouped with whatever else lands in the same turn).
    const batch = this.tracker.batch();
    const stored: Promise<void>[] = [];
    const probeOne = async ({ mirror, startAt }: Turn, release: () => void): Promise<void> => {
      try {
        const attempt = await this.prober.probe(mirror, kind, signal, batch, startAt);
        if (attempt === null) return;
        probed += 1;
        const write = attempt.stored.then(
          () => undefined,
          (error: unknown) => this.reportUnrecorded(mirror.id, error),
        );
        this.writes.add(write);
        void write.then(() => this.writes.delete(write));
        stored.push(write);
      } catch (error) {
        this.reportUnrecorded(mirror.id, error);
      } finally {
        release();
      }
    };
    // No further probe starts once the term ends or the deadline passes. Not AbortSignal.any: on Node 20 each
    // call leaves a WeakRef on the term's signal for the term's whole life (linked-abort.ts).
    const stopStarting = linkedAbort([signal, pastDeadline.signal]);
    try {
      await runBounded(turns, {
        concurrency: this.config.probeConcurrency,
        signal: stopStarting.signal,
        staggerMs: (index) => Math.max(0, (turns[index]?.startAt ?? 0) - handOverLeadMs - Date.now()),
        work: async (turn) => {
          const { mirror } = turn;
          reached += 1;
          if (signal.aborted) return;
          const release = await this.inFlight.claim(mirror.id, deadline);
          if (release === null) {
            report.heldBack += 1;
            return;
          }
          // A stopping process still waits for its probes (aborted, they end at once) so their outcomes are kept.
          const ended = await Promise.race([probeOne(turn, release).then(() => true), deadline.then(() => false)]);
          if (!ended) report.carried += 1;
        },
        onError: ({ mirror }, error) => this.reportUnrecorded(mirror.id, error),
      });
    } finally {
      clearTimeout(timer);
      stopStarting.unlink();
      await batch.commit();
      await Promise.all(stored);
    }
    if (signal.aborted) return report;
    report.notStarted = mirrors.length - reached;
    if (kind === 'deep') await this.coverage.afterDeepCycle(signal);
    await this.freshness.evaluate(this.tracker.servedDigests(), (id) => upstreamById.get(id) ?? DOCKER_HUB_REGISTRY);
    // Ranking subscribes and rebuilds before the cycle counts as finished.
    await this.events.cycleFinished({ kind });
    this.logger.log({ msg: 'probe cycle finished', kind, mirrors: mirrors.length, probed, ...report, durationMs: Date.now() - startedAt });
    return report;
  }

  /**
   * When each mirror's probe is due (probe-waves.ts): light probes in waves of as many as may be in flight,
   * deep probes one at a time as before (all at once when all fit in flight), so that their blob downloads overlap as little as the interval allows.
   */
  private turnsOf(mirrors: readonly MirrorDefinition[], kind: ProbeKind, budgetMs: number, startedAt: number): Turn[] {
    const concurrency = this.config.probeConcurrency;
    const waveSize = kind === 'light' ? concurrency : 1;
    const starts = probeWaveStarts({ count: mirrors.length, concurrency, waveSize, budgetMs, startedAt });
    return mirrors.map((mirror, index) => ({ mirror, startAt: starts[index] ?? startedAt }));
  }

  /** Resolves when the probes carried past their cycles' deadlines have ended and recorded their outcomes. */
  async settleCarried(): Promise<void> {
    await this.inFlight.settle();
    await Promise.all(this.writes);
  }

  private reportUnrecorded(mirrorId: string, error: unknown): void {
    this.logger.error({
      msg: 'probe could not be recorded',
      mirror: mirrorId,
      err: error instanceof Error ? error.message : String(error),
    });
  }
}
