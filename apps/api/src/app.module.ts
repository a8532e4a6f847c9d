import { type DynamicModule, Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { ThrottlerModule } from '@nestjs/throttler';
import type { MirrorDefinition } from '@mirrorwatch/domain';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';
import { ConfigurationModule } from '#infrastructure/configuration/configuration.module.js';
import { LeadershipModule } from '#infrastructure/leadership/leadership.module.js';
import { ObservabilityModule } from '#infrastructure/observability/observability.module.js';
import { PersistenceModule } from '#infrastructure/persistence/persistence.module.js';
import { rateLimitOptions } from '#infrastructure/rate-limit/rate-limit.options.js';
import { DeliveryModule } from '#delivery/delivery.module.js';
import { ProbingModule } from '#probing/probing.module.js';
import { RankingModule } from '#ranking/ranking.module.js';
import { WebHostModule } from '#infrastructure/web-host/web-host.module.js';
import { WebHostStatus } from '#infrastructure/web-host/web-host-status.js';

/**
 * The pipeline, bottom to top (docs/architecture.md): infrastructure, then
 * probing -> ranking -> delivery, each importing only what sits below it.
 */
@Module({})
export class AppModule {
  /** Built from configuration validated before Nest starts (see start.ts); `webHost` tells readiness whether the dashboard has loaded. */
  static forRoot(config: AppConfig, catalog: MirrorDefinition[], webHost = new WebHostStatus('off')): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigurationModule.forRoot(config, catalog),
        WebHostModule.forRoot(webHost),
        PersistenceModule.forRoot({ databaseUrl: config.databaseUrl }),
        LeadershipModule,
        ObservabilityModule.forRoot(config.logLevel),
        ScheduleModule.forRoot(),
        ThrottlerModule.forRoot(rateLimitOptions(config)),
        ProbingModule,
        RankingModule,
        DeliveryModule,
      ],
    };
  }
}
