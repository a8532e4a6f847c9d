import { Injectable } from '@nestjs/common';
import { PrismaService } from './prisma.service.js';
import type { ProbeRollupRow } from './prisma-client.factory.js';
import type { RepositoryFilter } from './probe.repository.js';
import {
  aggregateProbes,
  bucketStart,
  nextBucketStart,
  type RollupBucket,
  type RollupGranularity,
  type RollupProbe,
  decodeFailureCounts,
  encodeFailureCounts,
} from '@mirrorwatch/scoring';

export type ProbeRollupRecord = RollupBucket;

const ROLLUP_PROBE_COLUMNS = {
  mirrorId: true,
  vantageId: true,
  startedAt: true,
  ok: true,
  failureClass: true,
  dnsMs: true,
  connectMs: true,
  tlsMs: true,
  pingTtfbMs: true,
  tokenMs: true,
  manifestMs: true,
  throughputBytesPerSec: true,
} as const;

/** Upserts per transaction: bounds transaction length on SQLite, where writers queue. */
const UPSERT_BATCH = 200;

@Injectable()
export class RollupRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Recomputes every `granularity` bucket that starts in [bucketStart(from), to)
   * from raw probes and upserts it, so re-running over the same window is
   * idempotent and a partly filled current bucket is completed later. Percentiles
   * are computed here rather than in SQL: SQLite has no percentile_cont and this
   * keeps one code path for both databases. Daily buckets are computed from
   * raw probes too (never from hourly medians); once a day's raw probes are
   * past retention its daily bucket is final. Returns the buckets written.
   */
  async rollUp(granularity: RollupGranularity, from: Date, to: Date, filter: { repository?: RepositoryFilter } = {}): Promise<number> {
    const db = this.prisma.client;
    const start = bucketStart(granularity, from);
    if (to.getTime() <= start.getTime()) return 0;
    // Whole buckets only: a bucket starting before `to` is read to its end.
    const end = bucketStart(granularity, new Date(to.getTime() - 1));
    const readUntil = new Date(end.getTime() + (granularity === 'hour' ? 3_600_000 : 86_400_000));
    const probes = await db.probe.findMany({
      where: { startedAt: { gte: start, lt: readUntil }, ...filter },
      select: ROLLUP_PROBE_COLUMNS,
    });
    const buckets = aggregateProbes(granularity, probes);
    for (let offset = 0; offset < buckets.length; offset += UPSERT_BATCH) {
      const batch = buckets.slice(offset, offset + UPSERT_BATCH);
      await db.$transaction(
        batch.map((bucket) => {
          const { mirrorId, vantageId, granularity: g, bucketStart: at, failures, ...stats } = bucket;
          const columns = { ...stats, failureCounts: encodeFailureCounts(failures) };
          return db.probeRollup.upsert({
            where: { mirrorId_vantageId_granularity_bucketStart: { mirrorId, vantageId, granularity: g, bucketStart: at } },
            create: { mirrorId, vantageId, granularity: g, bucketStart: at, ...columns },
            update: columns,
          });
        }),
      );
    }
    return buckets.length;
  }

  /**
   * Recomputes the hourly and daily buckets of one mirror's UTC day from its
   * raw probes and replaces them, so re-running a day is idempotent and a
   * partly filled day is completed later. Buckets are per vantage (the local
   * prober's and each agent's), all of them in one pass: the read names every
   * stored vantage (`vantageIds`, read once per pass by the caller; read here
   * when not given), so it seeks the (mirrorId, vantageId, startedAt) index
   * once per vantage instead of scanning the mirror's whole retention. One
   * mirror-day (at most ~1,500 rows at one probe a minute) is the slice that
   * bounds how long a rollup holds SQLite's write lock. It is read with one
   * statement: the pass runs on a thread and connection of its own, so a
   * read no longer holds the serving thread, and each statement more costs
   * the database (a PostgreSQL backend at normal priority) and the pass's
   * thread a round trip (issue 16: the backfill's share of a small machine).
   * Percentiles are computed here rather than in SQL: SQLite has no
   * percentile_cont and this keeps one code path for both databases. The
   * daily bucket comes from raw probes too (never from hourly medians); once
   * a day's raw probes are past retention no bucket of it is written again.
   */
  async rollUpMirrorDay(
    mirrorId: string,
    day: Date,
    filter: { repository?: RepositoryFilter } = {},
    vantageIds?: readonly string[],
  ): Promise<{ hourBuckets: number; dayBuckets: number }> {
    const db = this.prisma.client;
    const start = bucketStart('day', day);
    const vantages = vantageIds ?? (await this.vantageIds());
    const probes: RollupProbe[] = await db.probe.findMany({
      where: { mirrorId, vantageId: { in: [...vantages] }, startedAt: { gte: start, lt: nextBucketStart('day', start) }, ...filter },
      select: ROLLUP_PROBE_COLUMNS,
    });
    if (probes.length === 0) return { hourBuckets: 0, dayBuckets: 0 };
    const hours = aggregateProbes('hour', probes);
    const days = aggregateProbes('day', probes);
    const rows = [...hours, ...days].map(({ failures, ...bucket }) => ({ ...bucket, failureCounts: encodeFailureCounts(failures) }));
    // Replace, not upsert: two statements for the whole mirror-day instead of a read and a write per bucket.
    await db.$transaction([
      db.probeRollup.deleteMany({
        where: {
          mirrorId,
          OR: [
            { granularity: 'hour', bucketStart: { gte: start, lt: nextBucketStart('day', start) } },
            { granularity: 'day', bucketStart: start },
          ],
        },
      }),
      db.probeRollup.createMany({ data: rows }),
    ]);
    return { hourBuckets: hours.length, dayBuckets: days.length };
  }

  /** Every stored vantage's id (the local prober's and each agent's): a rollup pass reads it once. */
  async vantageIds(): Promise<string[]> {
    return (await this.prisma.client.vantage.findMany({ select: { id: true } })).map((vantage) => vantage.id);
  }

  /** Every stored mirror's id (a rollup covers disabled mirrors' remaining probes too). */
  async mirrorIds(): Promise<string[]> {
    const rows = await this.prisma.client.mirror.findMany({ select: { id: true }, orderBy: { id: 'asc' } });
    return rows.map((row) => row.id);
  }

  /**
   * Start of the newest `granularity` bucket of any mirror, or null before
   * the first rollup: of one vantage when given (how far its windows can be
   * read from rollups), of any (where the rollup job resumes).
   */
  async latestBucketStart(granularity: RollupGranularity, vantageId?: string): Promise<Date | null> {
    const row = await this.prisma.client.probeRollup.findFirst({
      where: { granularity, vantageId },
      // The fixed columns lead, as the (vantageId, granularity, bucketStart) index orders them.
      orderBy:
        vantageId === undefined ? { bucketStart: 'desc' } : [{ vantageId: 'desc' }, { granularity: 'desc' }, { bucketStart: 'desc' }],
      select: { bucketStart: true },
    });
    return row?.bucketStart ?? null;
  }

  /** One vantage's probes and successes per mirror summed over the `granularity` buckets starting in [from, to). */
  async sumCounts(
    granularity: RollupGranularity,
    from: Date,
    to: Date,
    vantageId: string,
  ): Promise<Map<string, { probes: number; successes: number }>> {
    const groups = await this.prisma.client.probeRollup.groupBy({
      by: ['mirrorId'],
      where: { vantageId, granularity, bucketStart: { gte: from, lt: to } },
      _sum: { probes: true, successes: true },
    });
    return new Map(groups.map((group) => [group.mirrorId, { probes: group._sum.probes ?? 0, successes: group._sum.successes ?? 0 }]));
  }

  /**
   * One vantage's buckets of several mirrors starting in [since, until), by
   * mirror, oldest first: the order of the (mirrorId, vantageId, granularity,
   * bucketStart) key, which SQLite then walks once per mirror instead of every
   * vantage's buckets of the window (callers place buckets by time).
   */
  async listForMirrors(
    mirrorIds: readonly string[],
    granularity: RollupGranularity,
    since: Date,
    until: Date,
    vantageId: string,
  ): Promise<ProbeRollupRecord[]> {
    const rows = await this.prisma.client.probeRollup.findMany({
      where: { mirrorId: { in: [...mirrorIds] }, vantageId, granularity, bucketStart: { gte: since, lt: until } },
      orderBy: [{ mirrorId: 'asc' }, { bucketStart: 'asc' }],
    });
    return rows.map(toRecord);
  }

  /** One vantage's buckets of one mirror starting at or after `since`, oldest first. */
  async list(mirrorId: string, granularity: RollupGranularity, since: Date, vantageId: string): Promise<ProbeRollupRecord[]> {
    const rows = await this.prisma.client.probeRollup.findMany({
      where: { mirrorId, granularity, bucketStart: { gte: since }, vantageId },
      orderBy: [{ bucketStart: 'asc' }, { vantageId: 'asc' }],
    });
    return rows.map(toRecord);
  }
}

function toRecord(row: ProbeRollupRow): ProbeRollupRecord {
  return {
    mirrorId: row.mirrorId,
    vantageId: row.vantageId,
    granularity: row.granularity === 'day' ? 'day' : 'hour',
    bucketStart: row.bucketStart,
    probes: row.probes,
    successes: row.successes,
    manifestP50Ms: row.manifestP50Ms,
    manifestP95Ms: row.manifestP95Ms,
    dnsP50Ms: row.dnsP50Ms,
    connectP50Ms: row.connectP50Ms,
    tlsP50Ms: row.tlsP50Ms,
    pingTtfbP50Ms: row.pingTtfbP50Ms,
    tokenP50Ms: row.tokenP50Ms,
    throughputP50BytesPerSec: row.throughputP50BytesPerSec,
    failures: decodeFailureCounts(row.failureCounts),
  };
}
