import type { MirrorDefinition } from '@mirrorwatch/domain';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DatabaseProvider } from '../database-url.js';
import { IncidentRepository } from '../incident.repository.js';
import { MirrorStateRepository, type MirrorStateRecord } from '../mirror-state.repository.js';
import { MirrorRepository } from '../mirror.repository.js';
import { NotificationChannelRepository } from '../notification-channel.repository.js';
import { ProbeRepository } from '../probe.repository.js';
import { RecommendationRepository } from '../recommendation.repository.js';
import { RollupRepository } from '../rollup.repository.js';
import { postgresForTests } from './postgres-test-server.js';
import { openTestDatabase, type TestDatabase } from './test-database.js';

/**
 * What the repository integration files share: both providers, a migrated
 * database per provider and file (emptied before each test), the
 * repositories on it, and the fixtures the tests build their rows from.
 */
const postgres = postgresForTests();

export const REPOSITORY_PROVIDERS: { provider: DatabaseProvider; skip: boolean; label: string }[] = [
  { provider: 'sqlite', skip: false, label: 'sqlite' },
  { provider: 'postgresql', skip: postgres.skip, label: `postgresql${postgres.label}` },
];

export interface RepositorySuite {
  db: TestDatabase;
  mirrors: MirrorRepository;
  probes: ProbeRepository;
  states: MirrorStateRepository;
  incidents: IncidentRepository;
  rollups: RollupRepository;
  channels: NotificationChannelRepository;
  recommendations: RecommendationRepository;
}

/**
 * Registers the hooks of a describe block: opens the database once, resets it
 * before each test, closes it after the block. The returned object is filled
 * in by beforeAll, so read its fields inside tests and hooks only.
 */
export function repositorySuite(provider: DatabaseProvider, skip: boolean): RepositorySuite {
  const suite = {} as RepositorySuite;
  beforeAll(async () => {
    if (skip) return;
    const db = await openTestDatabase(provider, postgres.binaries);
    Object.assign(suite, {
      db,
      mirrors: new MirrorRepository(db.prisma),
      probes: new ProbeRepository(db.prisma),
      states: new MirrorStateRepository(db.prisma),
      incidents: new IncidentRepository(db.prisma),
      rollups: new RollupRepository(db.prisma),
      channels: new NotificationChannelRepository(db.prisma),
      recommendations: new RecommendationRepository(db.prisma),
    });
  });
  afterAll(async () => {
    await suite.db?.close();
  });
  beforeEach(async () => {
    await suite.db?.reset();
  });
  return suite;
}

export const T0 = new Date('2026-03-01T10:00:00.000Z');
export const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);

export function mirror(id: string, overrides: Partial<MirrorDefinition> = {}): MirrorDefinition {
  return {
    id,
    name: `Mirror ${id}`,
    url: `https://${id}.example.test`,
    provider: null,
    notes: null,
    visibility: 'public',
    caPath: null,
    ...overrides,
  };
}

export function stateRecord(mirrorId: string): MirrorStateRecord {
  return {
    mirrorId,
    status: 'down',
    degradedReason: null,
    consecutiveFailures: 3,
    consecutiveSuccesses: 0,
    since: at(2),
    lastFailureClass: 'rate_limited',
    lastProbeAt: at(4),
    lastIntegrityFailureAt: null,
    retryNotBefore: at(10),
    lastDigest: 'sha256:aa',
    lastDigestChangeAt: at(-60),
  };
}
