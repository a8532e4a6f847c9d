import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import { SchedulerLeadership } from '#infrastructure/leadership/scheduler-leadership.js';
import { RankingService } from './ranking.service.js';

const INTERVAL_NAME = 'follower-ranking-refresh';

/**
 * The leader rebuilds its ranking after every probe cycle; a follower runs no
 * cycles, so it rebuilds from the database once per probe interval instead and
 * serves the same /api/mirrors and exports as the leader, at most one
 * interval behind (the recommended lists are the ones the leader stored).
 */
@Injectable()
export class FollowerRefreshService implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(FollowerRefreshService.name);
  private current: Promise<void> | null = null;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly registry: SchedulerRegistry,
    private readonly leadership: SchedulerLeadership,
    private readonly ranking: RankingService,
  ) {}

  onApplicationBootstrap(): void {
    this.registry.addInterval(
      INTERVAL_NAME,
      setInterval(() => this.refresh(), this.config.probeIntervalSeconds * 1000),
    );
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.registry.doesExist('interval', INTERVAL_NAME)) this.registry.deleteInterval(INTERVAL_NAME);
    await this.current;
  }

  private refresh(): void {
    if (this.leadership.isLeader() || this.current) return;
    this.current = this.ranking
      .rebuild()
      .catch((error: unknown) => this.logger.error(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.current = null;
      });
  }
}
