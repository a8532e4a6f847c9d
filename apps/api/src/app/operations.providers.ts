import type { Provider, Type } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { RateLimitGuard } from '../services/rate-limit/rate-limit.guard.js';
import { AdminMirrorsController } from './admin/admin-mirrors.controller.js';
import { AdminMirrorsService } from './admin/admin-mirrors.service.js';
import { AdminNotificationChannelsController } from './admin/admin-notification-channels.controller.js';
import { AdminNotificationChannelsService } from './admin/admin-notification-channels.service.js';
import { AdminRecommendationController } from './admin/admin-recommendation.controller.js';
import { AdminTokenGuard } from './admin/admin-token.guard.js';
import { ExportCacheService } from './exports/export-cache.service.js';
import { ExportsController } from './exports/exports.controller.js';
import { ExportsService } from './exports/exports.service.js';
import { UpstreamExportsController } from './exports/upstream-exports.controller.js';
import { UpstreamExportsService } from './exports/upstream-exports.service.js';
import { MetricsService } from './metrics/metrics.service.js';
import { StandingMetricsCollector } from './metrics/standing-metrics.collector.js';
import { NotificationService } from './notifications/notification.service.js';

/** Exports, admin API, metrics, notifications and rate limiting, spread into AppModule's arrays. */
export const OPERATIONS_CONTROLLERS: Type[] = [ExportsController, UpstreamExportsController, AdminMirrorsController, AdminNotificationChannelsController, AdminRecommendationController];

export const OPERATIONS_PROVIDERS: Provider[] = [
  ExportCacheService,
  ExportsService,
  UpstreamExportsService,
  AdminTokenGuard,
  AdminMirrorsService,
  AdminNotificationChannelsService,
  MetricsService,
  StandingMetricsCollector,
  NotificationService,
  { provide: APP_GUARD, useClass: RateLimitGuard },
];
