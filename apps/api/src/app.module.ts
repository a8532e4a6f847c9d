import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import { CATALOG, CatalogSyncService } from './app/catalog/catalog-sync.service.js';
import { ChecksController } from './app/checks/checks.controller.js';
import { CheckRateLimitGuard } from './app/checks/check-rate-limit.guard.js';
import { ChecksService } from './app/checks/checks.service.js';
import { HealthController } from './app/health/health.controller.js';
import { MirrorsController } from './app/mirrors/mirrors.controller.js';
import { FreshnessService } from './app/probing/freshness.service.js';
import { CoverageProberService } from './app/image-coverage/coverage-prober.service.js';
import { CoverageService } from './app/image-coverage/coverage.service.js';
import { ProbeBudgetService } from './app/probing/probe-budget.service.js';
import { CoverageController } from './app/image-coverage/coverage.controller.js';
import { ImagesController } from './app/images/images.controller.js';
import { ImageLookupService } from './app/images/image-lookup.service.js';
import { MirrorProberService } from './app/probing/mirror-prober.service.js';
import { ProbeEngineService } from './app/probing/engine-thread/probe-engine.service.js';
import { MirrorStateTracker } from './app/probing/mirror-state-tracker.service.js';
import { ProbeCycleService } from './app/probing/probe-cycle.service.js';
import { ProbeSchedulerService } from './app/probing/probe-scheduler.service.js';
import { SchedulerLeadership } from './app/probing/scheduler-leadership.js';
import { FollowerRefreshService } from './app/ranking/follower-refresh.service.js';
import { MirrorFactsReader } from './app/ranking/mirror-facts.reader.js';
import { RankingService } from './app/ranking/ranking.service.js';
import { RecommendedDaemonController } from './app/recommendation/recommended-daemon.controller.js';
import { SparklinesController } from './app/sparklines/sparklines.controller.js';
import { SparklinesService } from './app/sparklines/sparklines.service.js';
import { APP_CONFIG, type AppConfig } from './services/configuration/app-config.js';
import { createLeadershipLock } from './services/leadership/create-leadership-lock.js';
import { PersistenceModule } from './services/persistence/persistence.module.js';
import { rateLimitOptions } from './services/rate-limit/rate-limit.options.js';
import { LOCAL_VANTAGE_ID } from './services/persistence/probe.repository.js';
import { PUBLIC_PAGE_CONTROLLERS, PUBLIC_PAGE_PROVIDERS } from './app/public-pages.providers.js';
import { OPERATIONS_CONTROLLERS, OPERATIONS_PROVIDERS } from './app/operations.providers.js';

@Module({})
export class AppModule {
  /** Built from configuration validated before Nest starts (see main.ts). */
  static forRoot(config: AppConfig, catalog: MirrorDefinition[]): DynamicModule {
    return {
      module: AppModule,
      imports: [ScheduleModule.forRoot(), ThrottlerModule.forRoot(rateLimitOptions(config)), PersistenceModule.forRoot({ databaseUrl: config.databaseUrl })],
      controllers: [
        MirrorsController, RecommendedDaemonController, HealthController, SparklinesController, CoverageController, ImagesController, ChecksController,
        ...PUBLIC_PAGE_CONTROLLERS, ...OPERATIONS_CONTROLLERS,
      ],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: CATALOG, useValue: catalog },
        CatalogSyncService,
        MirrorFactsReader,
        RankingService,
        FreshnessService,
        ProbeBudgetService,
        CoverageProberService,
        CoverageService,
        ImageLookupService,
        MirrorStateTracker,
        MirrorProberService,
        ProbeEngineService,
        ProbeCycleService,
        ProbeSchedulerService,
        { provide: SchedulerLeadership, useFactory: () => schedulerLeadership(config) },
        FollowerRefreshService,
        SparklinesService,
        ChecksService,
        CheckRateLimitGuard,
        ...PUBLIC_PAGE_PROVIDERS,
        ...OPERATIONS_PROVIDERS,
      ],
    };
  }
}

/** One scheduler per vantage among the replicas sharing the database; it re-checks every probe interval. */
function schedulerLeadership(config: AppConfig): SchedulerLeadership {
  const logger = new Logger(SchedulerLeadership.name);
  const lock = createLeadershipLock(config.databaseUrl, LOCAL_VANTAGE_ID, { warn: (message) => logger.warn(message) });
  return new SchedulerLeadership(lock, config.probeIntervalSeconds * 1000);
}
