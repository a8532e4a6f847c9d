import { Injectable } from '@nestjs/common';
import { isFailureClass, MIRROR_STATUSES, type MirrorStatus } from '@mirrorwatch/domain';
import type { DegradedReason, MirrorState } from '@mirrorwatch/scoring';
import { sqlTagsOf, type MirrorStateRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';

const DEGRADED_REASONS: readonly DegradedReason[] = ['slow', 'allowlisted', 'stale', 'rate_limited'];

/**
 * The scheduler's durable hysteresis state for one mirror (scoring's
 * MirrorState plus what only the scheduler tracks), so a restart neither
 * flaps statuses nor forgets a 429's Retry-After.
 */
export interface MirrorStateRecord extends Omit<MirrorState, 'lastProbeAt'> {
  mirrorId: string;
  /** Null for rows written before the column existed. */
  lastProbeAt: Date | null;
  /** No probe before this time (a 429's Retry-After). */
  retryNotBefore: Date | null;
  lastDigest: string | null;
  lastDigestChangeAt: Date | null;
}

@Injectable()
export class MirrorStateRepository {
  constructor(private readonly prisma: PrismaService) {}

  async get(mirrorId: string): Promise<MirrorStateRecord | null> {
    const row = await this.prisma.client.mirrorState.findUnique({ where: { mirrorId } });
    return row ? toRecord(row) : null;
  }

  /**
   * Every stored state, by mirror id. Raw SQL (the rows come back typed by the
   * columns' declared types, as the model API's): every ranking rebuild reads
   * it, and the model API's findMany went through Prisma's query compiler each time (issue 10).
   */
  async getAll(): Promise<Map<string, MirrorStateRecord>> {
    const { sql } = sqlTagsOf(this.prisma.client);
    const rows = await this.prisma.client.$queryRaw<MirrorStateRow[]>(sql`SELECT * FROM "MirrorState" ORDER BY "mirrorId" ASC`);
    return new Map(rows.map((row) => [row.mirrorId, toRecord(row)]));
  }

  async upsert(record: MirrorStateRecord): Promise<MirrorStateRecord> {
    const { mirrorId, ...data } = record;
    const row = await this.prisma.client.mirrorState.upsert({ where: { mirrorId }, create: { mirrorId, ...data }, update: data });
    return toRecord(row);
  }
}

function toRecord(row: MirrorStateRow): MirrorStateRecord {
  return {
    mirrorId: row.mirrorId,
    status: (MIRROR_STATUSES as readonly string[]).includes(row.status) ? (row.status as MirrorStatus) : 'unknown',
    degradedReason: DEGRADED_REASONS.find((reason) => reason === row.degradedReason) ?? null,
    consecutiveFailures: row.consecutiveFailures,
    consecutiveSuccesses: row.consecutiveSuccesses,
    since: row.since,
    // See probe-record.ts: a class retired from FAILURE_CLASSES reads as 'internal'.
    lastFailureClass: row.lastFailureClass === null ? null : isFailureClass(row.lastFailureClass) ? row.lastFailureClass : 'internal',
    lastProbeAt: row.lastProbeAt,
    lastIntegrityFailureAt: row.lastIntegrityFailureAt,
    retryNotBefore: row.retryNotBefore,
    lastDigest: row.lastDigest,
    lastDigestChangeAt: row.lastDigestChangeAt,
  };
}
