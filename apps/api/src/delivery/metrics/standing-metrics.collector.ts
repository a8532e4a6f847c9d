import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Gauge } from 'prom-client';
import { MIRROR_STATUSES } from '@mirrorwatch/domain';
import { ProbeSchedulerService } from '#probing/probe-scheduler.service.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { RankingService } from '#ranking/ranking.service.js';
import { CoverageService } from '#probing/coverage/coverage.service.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { MetricsService } from '#infrastructure/observability/metrics.service.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';
import { VantageViewsService } from '../vantages/vantage-views.service.js';
import { BLACKBOX_PHASES, blackboxPhaseSeconds } from './probe-phases.js';

/**
 * Series computed from what is already in memory (the ranking snapshot, the
 * scheduler's health): no database work per scrape; the per-mirror ones are
 * rendered once per ranking generation and agents' states read. The mirror
 * series come from the ranking snapshot, which every replica builds from the
 * database, so a follower reports the same statuses and latest probes as the
 * scheduler; only the scheduler_* series describe this process.
 * `mirrorwatch_mirror_info` carries URL and name for public mirrors only.
 * `mirrorwatch_mirror_status` has one series set per mirror and vantage
 * (local from the ranking, each live remote vantage from its agents' stored
 * states, read at most once per few seconds): mirrors x vantages x 4
 * statuses, e.g. 50 x 10 x 4 = 2,000 series.
 */
@Injectable()
export class StandingMetricsCollector implements OnModuleInit {
  constructor(
    private readonly metrics: MetricsService,
    private readonly ranking: RankingService,
    private readonly scheduler: ProbeSchedulerService,
    private readonly leadership: SchedulerLeadership,
    private readonly coverage: CoverageService,
    private readonly views: VantageViewsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    const ranking = this.ranking;
    const metrics = this.metrics;
    const scheduler = this.scheduler;
    const registers = [this.metrics.registry];
    const views = this.views;
    // The per-mirror series read the ranking snapshot and the agents' states only: rendered once per pair.
    const perMirror = [this.metrics.snapshotRegistry(async () => [ranking.generation(), await views.remoteStates()])];
    new Gauge({
      name: 'mirrorwatch_mirror_status',
      help: 'Current status of each mirror as each vantage sees it (state set: 1 for the current status)',
      labelNames: ['mirror', 'vantage', 'status'],
      registers: perMirror,
      async collect() {
        const remote = await views.remoteStates();
        this.reset();
        for (const summary of ranking.adminSummaries()) {
          metrics.noteVisibility(summary.id, summary.visibility);
          for (const status of MIRROR_STATUSES)
            this.set({ mirror: summary.id, vantage: LOCAL_VANTAGE_ID, status }, summary.status === status ? 1 : 0);
          for (const [vantage, states] of remote) {
            const current = states.get(summary.id)?.status ?? 'unknown';
            for (const status of MIRROR_STATUSES) this.set({ mirror: summary.id, vantage, status }, current === status ? 1 : 0);
          }
        }
      },
    });
    new Gauge({
      name: 'mirrorwatch_mirror_info',
      help: 'Mirror metadata, with the upstream registry it mirrors; url, name and path prefix only for public mirrors',
      labelNames: ['mirror', 'url', 'name', 'visibility', 'eligible', 'upstream', 'path_prefix'],
      registers: perMirror,
      collect() {
        this.reset();
        for (const summary of ranking.adminSummaries()) {
          const shown = summary.visibility === 'public';
          this.set(
            {
              mirror: summary.id,
              url: shown ? summary.url : '',
              name: shown ? summary.name : '',
              visibility: summary.visibility,
              eligible: String(summary.eligible),
              // Which registry it mirrors (the ranks and exports are per upstream); the prefix is part of the address.
              upstream: summary.upstream,
              path_prefix: shown ? (summary.pathPrefix ?? '') : '',
            },
            1,
          );
        }
      },
    });
    new Gauge({
      name: 'mirrorwatch_probe_duration_seconds',
      help: 'Duration of each phase of the latest stored probe, blackbox_exporter style',
      labelNames: ['mirror', 'vantage', 'kind', 'phase'],
      registers: perMirror,
      collect() {
        this.reset();
        for (const probe of ranking.latestProbes()) {
          const seconds = blackboxPhaseSeconds(probe.timings);
          for (const phase of BLACKBOX_PHASES)
            this.set({ mirror: probe.mirrorId, vantage: probe.vantageId, kind: probe.kind, phase }, seconds[phase]);
        }
      },
    });
    new Gauge({
      name: 'mirrorwatch_probe_success',
      help: 'Whether the latest stored probe succeeded (1) or failed (0)',
      labelNames: ['mirror', 'vantage', 'kind'],
      registers: perMirror,
      collect() {
        this.reset();
        for (const probe of ranking.latestProbes())
          this.set({ mirror: probe.mirrorId, vantage: probe.vantageId, kind: probe.kind }, probe.ok ? 1 : 0);
      },
    });
    const coverage = this.coverage;
    const coverageImages = this.config.coverageImages;
    new Gauge({
      name: 'mirrorwatch_coverage_image_broken',
      help: 'Whether nobody can show a coverage image exists (1): reference unreachable or 404 and no working mirror serves it; a configuration problem, held against no mirror',
      labelNames: ['image'],
      registers,
      collect() {
        this.reset();
        const broken = new Set(coverage.current().brokenImages);
        for (const image of coverageImages) this.set({ image: image.key }, broken.has(image.key) ? 1 : 0);
      },
    });
    new Gauge({
      name: 'mirrorwatch_recommendation_skipped_mirrors',
      help: 'Mirrors left out of the last recommendation rebuild because dockerd would refuse their URL (see the warning in the log)',
      registers,
      collect() {
        this.set(ranking.skippedRecommendationMirrors());
      },
    });
    const leadership = this.leadership;
    new Gauge({
      name: 'mirrorwatch_scheduler_leader',
      help: 'Whether this replica is the probe scheduler of its vantage (1) or a follower serving what the leader stores (0)',
      registers,
      collect() {
        this.set(leadership.isLeader() ? 1 : 0);
      },
    });
    const lanes = () => Object.values(scheduler.snapshotHealth());
    new Gauge({
      name: 'mirrorwatch_scheduler_cycle_duration_seconds',
      help: 'Duration of the last completed probe cycle',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const lane of lanes()) if (lane.lastCycleDurationMs !== null) this.set({ kind: lane.kind }, lane.lastCycleDurationMs / 1000);
      },
    });
    new Gauge({
      name: 'mirrorwatch_scheduler_cycle_lag_seconds',
      help: 'How late the last probe cycle started relative to its schedule',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const lane of lanes()) if (lane.lastCycleLagMs !== null) this.set({ kind: lane.kind }, lane.lastCycleLagMs / 1000);
      },
    });
    new Gauge({
      name: 'mirrorwatch_scheduler_cycles_completed',
      help: 'Probe cycles completed since start',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const lane of lanes()) this.set({ kind: lane.kind }, lane.cyclesCompleted);
      },
    });
    new Gauge({
      name: 'mirrorwatch_scheduler_cycles_skipped',
      help: 'Ticks skipped: the previous cycle of the same kind ran too long past them, or the event loop was blocked past them (since start)',
      labelNames: ['kind'],
      registers,
      collect() {
        this.reset();
        for (const lane of lanes()) this.set({ kind: lane.kind }, lane.cyclesSkippedForOverlap);
      },
    });
    const laneCounters = [
      [
        'mirrorwatch_scheduler_cycles_started_late',
        'Ticks that came while the previous cycle was finalising and started when it ended (since start)',
        'cyclesStartedLate',
      ],
      [
        'mirrorwatch_scheduler_probes_carried',
        "Probes still running at their cycle's deadline, stored when they ended (since start)",
        'probesCarried',
      ],
      [
        'mirrorwatch_scheduler_probes_held_back',
        'Mirrors left out of a cycle because their previous probe was still running (since start)',
        'probesHeldBack',
      ],
      [
        'mirrorwatch_scheduler_probes_not_started',
        'Mirrors whose turn in a cycle had not come by its deadline (since start)',
        'probesNotStarted',
      ],
    ] as const;
    for (const [name, help, field] of laneCounters) {
      new Gauge({
        name,
        help,
        labelNames: ['kind'],
        registers,
        collect() {
          this.reset();
          for (const lane of lanes()) this.set({ kind: lane.kind }, lane[field]);
        },
      });
    }
  }
}
