import { Module } from '@nestjs/common';
import { ProbingModule } from '#probing/probing.module.js';
import { FollowerRefreshService } from './follower-refresh.service.js';
import { MirrorFactsReader } from './mirror-facts.reader.js';
import { RankingService } from './ranking.service.js';
import { CatchUpProgress } from './rollups/catch-up-progress.js';
import { RollupSchedulerService } from './rollups/rollup-scheduler.service.js';
import { WindowCountsReader } from './rollups/window-counts.reader.js';
import { ProbeWindowsService } from './windows/probe-windows.service.js';

/**
 * The second stage: probe rows rolled up into hourly and daily windows, the
 * facts read from them, the ranking and the published recommendations. It
 * rebuilds when probing announces a finished cycle (a follower: on a timer).
 */
@Module({
  imports: [ProbingModule],
  providers: [
    MirrorFactsReader,
    RankingService,
    FollowerRefreshService,
    CatchUpProgress,
    RollupSchedulerService,
    WindowCountsReader,
    ProbeWindowsService,
  ],
  exports: [RankingService, MirrorFactsReader, CatchUpProgress, RollupSchedulerService, WindowCountsReader],
})
export class RankingModule {}
