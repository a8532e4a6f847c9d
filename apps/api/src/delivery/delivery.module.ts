import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from '#infrastructure/rate-limit/rate-limit.guard.js';
import { ProbingModule } from '#probing/probing.module.js';
import { RankingModule } from '#ranking/ranking.module.js';
import { AdminMirrorsController } from './admin/admin-mirrors.controller.js';
import { AdminMirrorsService } from './admin/admin-mirrors.service.js';
import { AdminNotificationChannelsController } from './admin/admin-notification-channels.controller.js';
import { AdminNotificationChannelsService } from './admin/admin-notification-channels.service.js';
import { AdminTokenGuard } from './admin/admin-token.guard.js';
import { BadgeController } from './badge/badge.controller.js';
import { CheckRateLimitGuard } from './checks/check-rate-limit.guard.js';
import { ChecksController } from './checks/checks.controller.js';
import { ChecksService } from './checks/checks.service.js';
import { AdminExportsController } from './exports/admin-exports.controller.js';
import { ExportAudiences } from './exports/export-audience.js';
import { ExportCacheService } from './exports/export-cache.service.js';
import { ExportsController } from './exports/exports.controller.js';
import { ExportsService } from './exports/exports.service.js';
import { RecommendedDaemonController } from './exports/recommended-daemon.controller.js';
import { UpstreamExportsController } from './exports/upstream-exports.controller.js';
import { UpstreamExportsService } from './exports/upstream-exports.service.js';
import { HealthController } from './health/health.controller.js';
import { HistoryService } from './history/history.service.js';
import { CoverageController } from './image-coverage/coverage.controller.js';
import { ImageLookupService } from './images/image-lookup.service.js';
import { ImagesController } from './images/images.controller.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { ProbeCountReaction } from './metrics/probe-count.reaction.js';
import { StandingMetricsCollector } from './metrics/standing-metrics.collector.js';
import { MirrorDetailService } from './mirrors/mirror-detail.service.js';
import { MirrorsController } from './mirrors/mirrors.controller.js';
import { PublicMirrorResolver } from './mirrors/public-mirror.resolver.js';
import { ReadGeneration } from './read-cache/read-generation.js';
import { NotificationService } from './notifications/notification.service.js';
import { StateChangeReaction } from './notifications/state-change.reaction.js';
import { SparklinesController } from './sparklines/sparklines.controller.js';
import { SparklinesService } from './sparklines/sparklines.service.js';
import { StatusController } from './status/status.controller.js';
import { StatusService } from './status/status.service.js';
import { AdminVantagesController } from './vantages/admin-vantages.controller.js';
import { AdminVantagesService } from './vantages/admin-vantages.service.js';
import { VantageFactsReader } from './vantages/vantage-facts.reader.js';
import { VantagesController } from './vantages/vantages.controller.js';
import { VantageViewsService } from './vantages/vantage-views.service.js';

/**
 * The last stage: everything that leaves the process. The public API (one
 * controller per resource), the exports, the status page and badges, the
 * admin API, metrics and notifications (which subscribe to probing's state
 * changes). Reads what ranking and probing expose; nothing imports it.
 */
@Module({
  imports: [ProbingModule, RankingModule],
  controllers: [
    MirrorsController,
    RecommendedDaemonController,
    ExportsController,
    UpstreamExportsController,
    AdminExportsController,
    HealthController,
    SparklinesController,
    CoverageController,
    ImagesController,
    ChecksController,
    StatusController,
    IncidentsController,
    BadgeController,
    AdminMirrorsController,
    AdminNotificationChannelsController,
    AdminVantagesController,
    VantagesController,
  ],
  providers: [
    ReadGeneration,
    PublicMirrorResolver,
    MirrorDetailService,
    HistoryService,
    StatusService,
    IncidentsService,
    SparklinesService,
    ExportCacheService,
    ExportAudiences,
    ExportsService,
    UpstreamExportsService,
    ImageLookupService,
    ChecksService,
    CheckRateLimitGuard,
    AdminTokenGuard,
    AdminMirrorsService,
    AdminNotificationChannelsService,
    StandingMetricsCollector,
    ProbeCountReaction,
    NotificationService,
    StateChangeReaction,
    AdminVantagesService,
    VantageFactsReader,
    VantageViewsService,
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class DeliveryModule {}
