import type { ReadinessSummaryDto } from '@mirrorwatch/api-types';
import { Controller, Get, Inject, ServiceUnavailableException } from '@nestjs/common';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { PrismaService } from '#infrastructure/persistence/prisma.service.js';
import { ProbeSchedulerService, type SchedulerHealth } from '#probing/probe-scheduler.service.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { RankingService } from '#ranking/ranking.service.js';
import { CatchUpProgress } from '#ranking/rollups/catch-up-progress.js';
import { CoverageService } from '#probing/coverage/coverage.service.js';
import { WebHostStatus } from '#infrastructure/web-host/web-host-status.js';

interface ReadinessDto extends ReadinessSummaryDto {
  database: 'reachable';
  /** Whether this replica is its vantage's probe scheduler (always true on SQLite). */
  leader: boolean;
  scheduler: SchedulerHealth;
  /** ISO-8601: when the served ranking was last rebuilt. */
  rankingBuiltAt: string | null;
  /**
   * Coverage images nobody can show exist (reference unreachable or 404, no
   * working mirror serves them): a configuration problem for the operator,
   * held against no mirror. Readiness stays ready: the service works.
   */
  coverage: { brokenImages: string[]; detail: string | null };
}

/** Intervals without a cycle start (leader) or a ranking rebuild (follower) before readiness fails. */
const STALE_AFTER_INTERVALS = 3;

/**
 * Liveness says the process answers; readiness that its database works and
 * that it does its part: the leader runs probe cycles, a follower (another
 * replica probes) keeps its ranking rebuilt from the database.
 */
@Controller('health')
export class HealthController {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly prisma: PrismaService,
    private readonly scheduler: ProbeSchedulerService,
    private readonly leadership: SchedulerLeadership,
    private readonly ranking: RankingService,
    private readonly catchUp: CatchUpProgress,
    private readonly coverage: CoverageService,
    private readonly webHost: WebHostStatus,
  ) {}

  @Get('live')
  live(): { status: 'alive' } {
    return { status: 'alive' };
  }

  @Get('ready')
  async ready(): Promise<ReadinessDto> {
    try {
      await this.prisma.ping();
    } catch {
      throw new ServiceUnavailableException('database unreachable');
    }
    // The API answers before the dashboard has loaded (start.ts); pages are part of being ready.
    if (this.webHost.state() === 'loading') throw new ServiceUnavailableException('dashboard is still loading');
    if (this.webHost.state() === 'restarting')
      throw new ServiceUnavailableException(`dashboard unavailable: ${this.webHost.reason() ?? 'restarting'}`);
    const scheduler = this.scheduler.snapshotHealth();
    const leader = this.leadership.isLeader();
    const staleAfterMs = this.config.probeIntervalSeconds * 1000 * STALE_AFTER_INTERVALS;
    const builtAt = this.ranking.lastBuiltAt();
    if (leader) {
      // A scheduler that has not started a cycle for three intervals is stuck.
      const lastStart = scheduler.light.lastCycleStartedAt?.getTime() ?? null;
      if (lastStart === null || Date.now() - lastStart > staleAfterMs) {
        throw new ServiceUnavailableException('probe scheduler has not run recently');
      }
    } else if (builtAt === null || Date.now() - builtAt.getTime() > staleAfterMs) {
      throw new ServiceUnavailableException('ranking has not been rebuilt from the database recently');
    }
    const progress = this.catchUp.snapshot();
    const catchUp = progress.catchingUp
      ? {
          done: progress.done,
          total: progress.total,
          percent: progress.total === 0 ? 100 : Math.floor((progress.done / progress.total) * 100),
          fromDay: progress.fromDay,
        }
      : null;
    const brokenImages = this.coverage.current().brokenImages;
    const detail =
      brokenImages.length === 0
        ? null
        : `no mirror serves ${brokenImages.join(', ')} and the reference registry could not show it exists: check COVERAGE_IMAGES; no mirror is marked down for it`;
    return {
      status: catchUp ? 'catching_up' : 'ready',
      database: 'reachable',
      leader,
      scheduler,
      rankingBuiltAt: builtAt?.toISOString() ?? null,
      catchUp,
      coverage: { brokenImages, detail },
    };
  }
}
