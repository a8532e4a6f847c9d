import { Module } from '@nestjs/common';
import { CatalogSyncService } from './catalog-sync.service.js';
import { CoverageProberService } from './coverage/coverage-prober.service.js';
import { CoverageService } from './coverage/coverage.service.js';
import { FreshnessService } from './freshness/freshness.service.js';
import { AgentAuthGuard } from './ingestion/agent-auth.guard.js';
import { AgentIngestionController } from './ingestion/agent-ingestion.controller.js';
import { AgentIngestionService } from './ingestion/agent-ingestion.service.js';
import { AgentResultsFeed } from './ingestion/agent-results-feed.js';
import { MirrorProberService } from './mirror-prober.service.js';
import { ProbeBudgetService } from './budget/probe-budget.service.js';
import { ProbeEngineService } from './engine-thread/probe-engine.service.js';
import { ProbeCycleEvents } from './probe-cycle-events.js';
import { ProbeCycleService } from './probe-cycle.service.js';
import { ProbeSchedulerService } from './probe-scheduler.service.js';
import { MirrorStateEvents } from './state/mirror-state-events.js';
import { MirrorStateTracker } from './state/mirror-state-tracker.service.js';

/**
 * The first stage: which mirrors exist (catalog sync), when they are probed
 * (scheduler, lanes, budget), how (prober, coverage, freshness) and what
 * state that leaves them in (state tracker). It announces finished cycles and
 * recorded states on ProbeCycleEvents and MirrorStateEvents and imports no
 * stage above it. Results probed elsewhere come in here too: vantage agents'
 * batches (ingestion), announced on AgentResultsFeed.
 */
@Module({
  controllers: [AgentIngestionController],
  providers: [
    AgentAuthGuard,
    AgentIngestionService,
    AgentResultsFeed,
    CatalogSyncService,
    FreshnessService,
    ProbeBudgetService,
    CoverageProberService,
    CoverageService,
    MirrorStateEvents,
    MirrorStateTracker,
    MirrorProberService,
    ProbeEngineService,
    ProbeCycleEvents,
    ProbeCycleService,
    ProbeSchedulerService,
  ],
  exports: [
    CoverageService,
    FreshnessService,
    ProbeBudgetService,
    ProbeSchedulerService,
    ProbeCycleEvents,
    MirrorStateEvents,
    AgentResultsFeed,
  ],
})
export class ProbingModule {}
