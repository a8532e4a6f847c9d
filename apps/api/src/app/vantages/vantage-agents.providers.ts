import { AgentResultRepository } from '../../services/persistence/agent-result.repository.js';
import { VantageRepository } from '../../services/persistence/vantage.repository.js';
import { AgentAuthGuard } from '../ingestion/agent-auth.guard.js';
import { AgentIngestionController } from '../ingestion/agent-ingestion.controller.js';
import { AgentIngestionService } from '../ingestion/agent-ingestion.service.js';
import { AgentResultsFeed } from '../ingestion/agent-results-feed.js';
import { AdminVantagesController } from './admin-vantages.controller.js';
import { AdminVantagesService } from './admin-vantages.service.js';
import { VantageFactsReader } from './vantage-facts.reader.js';
import { VantagesController } from './vantages.controller.js';
import { VantageViewsService } from './vantage-views.service.js';

/**
 * Remote vantages: the admin API for vantages and agent tokens, the agent
 * protocol (configuration out, results in) and the per-vantage views.
 * Listed in AppModule's arrays (they need its RankingService and
 * MirrorFactsReader, so they cannot be a module of their own).
 */
export const VANTAGE_CONTROLLERS = [AgentIngestionController, AdminVantagesController, VantagesController];

export const VANTAGE_PROVIDERS = [
  VantageRepository,
  AgentResultRepository,
  AgentAuthGuard,
  AgentResultsFeed,
  AgentIngestionService,
  AdminVantagesService,
  VantageFactsReader,
  VantageViewsService,
];
