import { BadgeController } from './badge/badge.controller.js';
import { HistoryService } from './history/history.service.js';
import { IncidentsController } from './incidents/incidents.controller.js';
import { IncidentsService } from './incidents/incidents.service.js';
import { MirrorDetailController } from './mirror-detail/mirror-detail.controller.js';
import { MirrorDetailService } from './mirror-detail/mirror-detail.service.js';
import { PublicMirrorResolver } from './public-mirrors/public-mirror.resolver.js';
import { CatchUpProgress } from './rollups/catch-up-progress.js';
import { RollupJobService } from './rollups/rollup-job.service.js';
import { RollupSchedulerService } from './rollups/rollup-scheduler.service.js';
import { WindowCountsReader } from './rollups/window-counts.reader.js';
import { StatusController } from './status/status.controller.js';
import { StatusService } from './status/status.service.js';

/**
 * The dashboard and public status page endpoints, plus the rollups their long
 * windows read. Listed here so AppModule registers them in one line each (they
 * need AppModule's RankingService, so they cannot be a module of their own).
 * MirrorDetailController routes `mirrors/:id`: keep it after any controller
 * with fixed `mirrors/<word>` routes.
 */
export const PUBLIC_PAGE_CONTROLLERS = [MirrorDetailController, StatusController, IncidentsController, BadgeController];

export const PUBLIC_PAGE_PROVIDERS = [
  PublicMirrorResolver,
  HistoryService,
  MirrorDetailService,
  StatusService,
  IncidentsService,
  CatchUpProgress,
  RollupJobService,
  RollupSchedulerService,
  WindowCountsReader,
];
