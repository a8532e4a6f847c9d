import { ConflictException, Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { FreshnessService } from './freshness/freshness.service.js';
import { MirrorStateTracker } from './state/mirror-state-tracker.service.js';
import { ProbeCycleService } from './probe-cycle.service.js';
import { ProbeLane, type LaneHealth } from './probe-lane.js';
import { ScheduleClock, scheduleLeadMs } from './schedule-clock.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { CoverageRepository } from '#infrastructure/persistence/coverage.repository.js';

export interface SchedulerHealth {
  light: LaneHealth;
  deep: LaneHealth;
}

/** The lanes of one leadership term; a new term starts with fresh lanes, clocks and abort signal. */
interface Term {
  abort: AbortController;
  light: ProbeLane;
  deep: ProbeLane;
  clocks: ScheduleClock[];
}

/**
 * Two lanes: light probes every PROBE_INTERVAL_SECONDS and deep probes (blobs,
 * allowlist check) every DEEP_PROBE_INTERVAL_SECONDS. Separate lanes keep a
 * slow blob download from delaying the frequent status checks. The lanes run
 * only while this replica is its vantage's elected scheduler
 * (SchedulerLeadership), so replicas sharing a database never probe twice.
 */
@Injectable()
export class ProbeSchedulerService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ProbeSchedulerService.name);
  private term: Term;
  private running = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cycle: ProbeCycleService,
    private readonly tracker: MirrorStateTracker,
    private readonly freshness: FreshnessService,
    private readonly leadership: SchedulerLeadership,
    private readonly coverageEvidence: CoverageRepository,
  ) {
    // Idle lanes until elected: health reports "never ran" rather than nothing.
    this.term = this.newTerm();
  }

  onModuleInit(): void {
    this.leadership.subscribe({ gained: () => this.startTerm(), lost: () => this.stopTerm() });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stopTerm();
  }

  snapshotHealth(): SchedulerHealth {
    return { light: this.term.light.snapshot(), deep: this.term.deep.snapshot() };
  }

  /** Admin "probe now": a light cycle now, or the one in flight. Only the scheduler probes. */
  runNow(): Promise<void> {
    if (!this.running) {
      return Promise.reject(
        new ConflictException(
          'this replica is not the probe scheduler; send the request to the leader (its /api/health/ready says "leader": true)',
        ),
      );
    }
    return this.term.light.runNow();
  }

  private async startTerm(): Promise<void> {
    if (this.running) return;
    // Another replica probed while this one followed: act on the database's states and
    // freshness verdicts (the upstream reference and its grace period), not on stale memory.
    await this.tracker.reload();
    await this.freshness.restore();
    // The only writer of coverage evidence from now on: the rebuilds' reads of it come from memory.
    this.coverageEvidence.keepCopy();
    const term = this.newTerm();
    this.term = term;
    this.running = true;
    // Statuses first: the first deep cycle follows the first light cycle. Each lane's schedule is anchored
    // on its first cycle: a fixed grid from there, never shifted by a late tick.
    const [lightClock, deepClock] = term.clocks as [ScheduleClock, ScheduleClock];
    const anchorAt = Date.now();
    term.light.tick(anchorAt, anchorAt);
    lightClock.start(anchorAt);
    void term.light.settle().then(() => {
      if (term.abort.signal.aborted) return;
      const deepAnchorAt = Date.now();
      term.deep.tick(deepAnchorAt, deepAnchorAt);
      deepClock.start(deepAnchorAt);
    });
  }

  private async stopTerm(): Promise<void> {
    // Another replica writes the verdicts from now on: this one reads them from the database again.
    this.freshness.endTerm();
    this.coverageEvidence.dropCopy();
    for (const clock of this.term.clocks) clock.stop();
    this.running = false;
    this.term.abort.abort();
    await Promise.all([this.term.light.settle(), this.term.deep.settle()]);
    // Probes carried past their cycles' deadlines end at once when aborted; their outcomes are kept.
    await this.cycle.settleCarried();
  }

  private newTerm(): Term {
    const abort = new AbortController();
    const onError = (error: unknown): void => this.logger.error(error instanceof Error ? error : new Error(String(error)));
    const onOverlap = (kind: string) => () => this.logger.warn({ msg: 'probe cycle still running; tick skipped', kind });
    const lane = (kind: 'light' | 'deep', intervalSeconds: number) =>
      new ProbeLane(kind, intervalSeconds * 1000, (o) => this.cycle.run({ ...o, kind }), abort.signal, onError, onOverlap(kind));
    const clockOf = (kind: 'light' | 'deep', lane: ProbeLane, intervalMs: number) =>
      new ScheduleClock(
        intervalMs,
        scheduleLeadMs(intervalMs),
        (dueAt) => lane.tick(dueAt),
        (count) => {
          lane.missed(count);
          this.logger.warn({ msg: 'probe ticks missed (event loop blocked past them, or the clock jumped); skipped', kind, count });
        },
      );
    const light = lane('light', this.config.probeIntervalSeconds);
    const deep = lane('deep', this.config.deepProbeIntervalSeconds);
    const clocks = [
      clockOf('light', light, this.config.probeIntervalSeconds * 1000),
      clockOf('deep', deep, this.config.deepProbeIntervalSeconds * 1000),
    ];
    return { abort, light, deep, clocks };
  }
}
