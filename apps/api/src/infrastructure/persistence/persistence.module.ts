import { type DynamicModule, Global, Module } from '@nestjs/common';
import { AgentResultRepository } from './agent-result.repository.js';
import { CoverageRepository } from './coverage.repository.js';
import { IncidentRepository } from './incident.repository.js';
import { MirrorStateRepository } from './mirror-state.repository.js';
import { MirrorRepository } from './mirror.repository.js';
import { NotificationChannelRepository } from './notification-channel.repository.js';
import { PERSISTENCE_OPTIONS, type PersistenceOptions } from './persistence-options.js';
import { PrismaService } from './prisma.service.js';
import { ProbeRepository } from './probe.repository.js';
import { ProbeOutcomeRepository } from './probe-outcome.repository.js';
import { RecommendationRepository } from './recommendation.repository.js';
import { RollupRepository } from './rollup.repository.js';
import { VantageRepository } from './vantage.repository.js';
import { VerdictRepository } from './verdict.repository.js';

const REPOSITORIES = [
  MirrorRepository,
  ProbeRepository,
  ProbeOutcomeRepository,
  MirrorStateRepository,
  IncidentRepository,
  RollupRepository,
  NotificationChannelRepository,
  RecommendationRepository,
  VerdictRepository,
  CoverageRepository,
  VantageRepository,
  AgentResultRepository,
];

/**
 * Database access for the whole API. Prisma is used only by the repositories
 * exported here; SQLite/PostgreSQL differences live in prisma-client.factory.ts.
 */
@Global()
@Module({})
export class PersistenceModule {
  static forRoot(options: PersistenceOptions): DynamicModule {
    return {
      module: PersistenceModule,
      global: true,
      providers: [
        { provide: PERSISTENCE_OPTIONS, useValue: options },
        { provide: PrismaService, useFactory: (opts: PersistenceOptions) => PrismaService.connect(opts), inject: [PERSISTENCE_OPTIONS] },
        ...REPOSITORIES,
      ],
      exports: [PrismaService, ...REPOSITORIES],
    };
  }
}
