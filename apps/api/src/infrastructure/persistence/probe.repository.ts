import { Injectable } from '@nestjs/common';
import type { FailureClass, ProbeKind, ProbeResult } from '@mirrorwatch/domain';
import { PrismaService } from './prisma.service.js';
import { sqlTagsOf, type ProbeRow, type Sql } from './prisma-client.factory.js';
import { probeColumns, toProbeRecord, type ProbeRecord } from './probe-record.js';

/**
 * Narrows statistics to one vantage and/or one probed repository: the
 * scheduler also probes a non-library repository to detect allowlists, and
 * those probes must not count toward the main image's latency or uptime.
 */
export type RepositoryFilter = string | { in: string[] };

export interface ProbeFilter {
  /**
   * Whose probes: 'local' (this server's) or a remote vantage's. Required, so
   * no read mixes networks: an agent's failures are not this server's.
   */
  vantageId: string;
  /** One repository, or any of several (the main probe image of every upstream). */
  repository?: RepositoryFilter;
  kind?: ProbeKind;
}

type FixedColumn = 'mirrorId' | 'vantageId' | 'kind' | 'ok';

/**
 * "Newest first" that only a (mirrorId, vantageId, ..., startedAt) index can
 * deliver: the columns the query fixes by equality lead the ORDER BY. That
 * changes no result (they are constant), but PostgreSQL, which assumes
 * matches are spread evenly over time, would otherwise walk the startedAt
 * index backwards through every mirror's rows, all of them when nothing
 * matches (the newest failure of a mirror that never failed). The id breaks
 * ties of one start millisecond (an agent's clock may repeat one, and a
 * replayed batch may carry equal starts), so every newest-first read picks
 * the same row; it is the table's rowid/primary key, so the index order
 * still serves it on SQLite, and PostgreSQL reads the first index entries
 * and sorts the few that tie.
 */
function newestFirst(...fixed: readonly FixedColumn[]): { [column: string]: 'desc' }[] {
  return [...fixed.map((column) => ({ [column]: 'desc' as const })), { startedAt: 'desc' as const }, { id: 'desc' as const }];
}

/** An upper bound no probe reaches, for ranges that are open in fact but must be closed for the planner. */
const END_OF_TIME = new Date('9999-12-31T23:59:59.999Z');

/** A probe as windowRowsPage reads it. */
export type ProbeWindowRow = Pick<ProbeRow, 'id' | 'mirrorId' | 'repository' | 'startedAt' | 'ok' | 'failureClass' | 'manifestMs'>;

export interface SuccessCounts {
  probes: number;
  successes: number;
}

@Injectable()
export class ProbeRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Stores one probe outcome. `repository` is what the probe asked for; when
   * omitted, the manifest's repository is used (null if none was observed).
   */
  async insert(mirrorId: string, vantageId: string, result: ProbeResult, repository: string | null = null): Promise<ProbeRecord> {
    const row = await this.prisma.client.probe.create({ data: probeColumns(mirrorId, vantageId, result, repository) });
    return toProbeRecord(row);
  }

  /**
   * The newest probe of each mirror that has one, in one statement: per
   * mirror, a correlated subquery walks the (mirrorId, startedAt) index
   * backwards and stops at the first match, as one findFirst per mirror did,
   * so it stays fast however many raw rows are kept (a GROUP BY over all
   * probes would not). One statement instead of one per mirror: the ranking
   * reads this twice per cycle, and each Prisma query costs a query-compiler
   * pass (issue 10).
   */
  async latestByMirror(filter: ProbeFilter): Promise<Map<string, ProbeRecord>> {
    return this.newestPerMirror(this.conditionsOf(filter), ['vantageId']);
  }

  /** One vantage's probes of a mirror, newest first; `failuresOnly` keeps failed probes (a plain limit would bury them under successes). */
  async recent(mirrorId: string, vantageId: string, limit: number, options: { failuresOnly?: boolean } = {}): Promise<ProbeRecord[]> {
    const rows = await this.prisma.client.probe.findMany({
      where: { mirrorId, vantageId, ...(options.failuresOnly ? { ok: false } : {}) },
      orderBy: options.failuresOnly ? newestFirst('mirrorId', 'vantageId', 'ok') : newestFirst('mirrorId', 'vantageId'),
      take: limit,
    });
    return rows.map(toProbeRecord);
  }

  /** Probes of one mirror in [from, to), oldest first (history charts over raw data). */
  async between(mirrorId: string, from: Date, to: Date, filter: ProbeFilter): Promise<ProbeRecord[]> {
    const rows = await this.prisma.client.probe.findMany({
      where: { mirrorId, startedAt: { gte: from, lt: to }, ...filter },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    });
    return rows.map(toProbeRecord);
  }

  /** manifestMs of successful probes since `since`, oldest first, per mirror. */
  async manifestLatenciesSince(since: Date, filter: ProbeFilter): Promise<Map<string, number[]>> {
    const rows = await this.prisma.client.probe.findMany({
      where: { startedAt: { gte: since }, ok: true, manifestMs: { not: null }, ...filter },
      select: { mirrorId: true, manifestMs: true },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
    });
    const result = new Map<string, number[]>();
    for (const row of rows) {
      if (row.manifestMs === null) continue;
      const list = result.get(row.mirrorId) ?? [];
      list.push(row.manifestMs);
      result.set(row.mirrorId, list);
    }
    return result;
  }

  async successCountsSince(since: Date, filter: ProbeFilter): Promise<Map<string, SuccessCounts>> {
    return this.successCountsBetween(since, null, filter);
  }

  /**
   * Probes and successes per mirror started in [from, to) (to null: up to now).
   * The range is always two-sided: with only `startedAt >= ?` and no table
   * statistics, SQLite takes the range to match a quarter of the table and
   * prefers walking the whole (mirrorId, ok, startedAt) index for the GROUP
   * BY's order, 4-11 s on a month of probes on the synchronous driver (the
   * liveness stalls of issue 16); a closed range makes the startedAt index win.
   */
  async successCountsBetween(from: Date, to: Date | null, filter: ProbeFilter): Promise<Map<string, SuccessCounts>> {
    const groups = await this.prisma.client.probe.groupBy({
      by: ['mirrorId', 'ok'],
      where: { startedAt: { gte: from, lt: to ?? END_OF_TIME }, ...filter },
      _count: { _all: true },
    });
    const result = new Map<string, SuccessCounts>();
    for (const group of groups) {
      const counts = result.get(group.mirrorId) ?? { probes: 0, successes: 0 };
      counts.probes += group._count._all;
      if (group.ok) counts.successes += group._count._all;
      result.set(group.mirrorId, counts);
    }
    return result;
  }

  /**
   * How many probes failed with `failureClass` since `since`, per mirror (mirrors with none are absent).
   *
   * A failure class is rare next to a vantage's probes (a day on the month's seed: 3,845 timeouts
   * among 148,000 local probes), but SQLite has no statistics to know it and seeks the
   * (vantageId, startedAt) index, counting the whole day: 56-92 ms per statement on the synchronous
   * driver, three of them per ranking rebuild while the windows are not loaded (every rebuild of a
   * follower). The vantage is therefore spelled `NOT (vantageId <> ?)`, the same rows, which no index
   * serves, so the (failureClass, startedAt) index is the one that bounds it (0.01 s against 0.28 s
   * in the sqlite3 shell); PostgreSQL folds it back to `=` and plans with its statistics.
   */
  async failureCountsSince(since: Date, failureClass: FailureClass, filter: ProbeFilter): Promise<Map<string, number>> {
    const { vantageId, ...rest } = filter;
    const groups = await this.prisma.client.probe.groupBy({
      by: ['mirrorId'],
      where: { startedAt: { gte: since, lt: END_OF_TIME }, ok: false, failureClass, NOT: { vantageId: { not: vantageId } }, ...rest },
      _count: { _all: true },
    });
    return new Map(groups.map((group) => [group.mirrorId, group._count._all]));
  }

  /** One vantage's newest successful deep probe of a mirror (throughput, verified digest), or null. */
  async latestSuccessfulDeep(mirrorId: string, vantageId: string): Promise<ProbeRecord | null> {
    const row = await this.prisma.client.probe.findFirst({
      where: { mirrorId, vantageId, kind: 'deep', ok: true },
      orderBy: newestFirst('mirrorId', 'vantageId', 'kind', 'ok'),
    });
    return row ? toProbeRecord(row) : null;
  }

  /** latestSuccessfulDeep for each of `mirrorIds` that has one (one statement for all of them). */
  async latestSuccessfulDeepByMirror(mirrorIds: readonly string[], vantageId: string): Promise<Map<string, ProbeRecord>> {
    const { sql } = sqlTagsOf(this.prisma.client);
    const newest = await this.newestPerMirror(
      [sql`"Probe"."vantageId" = ${vantageId}`, sql`"Probe"."kind" = ${'deep'}`, sql`"Probe"."ok" = ${true}`],
      ['vantageId', 'kind', 'ok'],
    );
    const wanted = new Set(mirrorIds);
    return new Map([...newest].filter(([mirrorId]) => wanted.has(mirrorId)));
  }

  /**
   * A page of what rolling windows keep of one vantage's probes started in
   * [from, to), oldest first, through the (vantageId, startedAt) index: a few
   * columns, no record mapping. Pages are bounded by rows, not by time, so a
   * page costs the same whatever the catalog's size and probe rate (mapping
   * rows is work on the serving thread, on both drivers); `after` is the last
   * row of the previous page (keyset: the rows after it in (startedAt, id) order).
   */
  async windowRowsPage(
    vantageId: string,
    range: { from: Date; to: Date },
    after: Pick<ProbeWindowRow, 'startedAt' | 'id'> | null,
    limit: number,
  ): Promise<ProbeWindowRow[]> {
    return this.prisma.client.probe.findMany({
      where: {
        vantageId,
        startedAt: { gte: after?.startedAt ?? range.from, lt: range.to },
        ...(after ? { OR: [{ startedAt: { gt: after.startedAt } }, { id: { gt: after.id } }] } : {}),
      },
      select: { id: true, mirrorId: true, repository: true, startedAt: true, ok: true, failureClass: true, manifestMs: true },
      orderBy: [{ startedAt: 'asc' }, { id: 'asc' }],
      take: limit,
    });
  }

  /** A ProbeFilter as SQL conditions on "Probe". */
  private conditionsOf(filter: ProbeFilter): Sql[] {
    const { sql, join } = sqlTagsOf(this.prisma.client);
    const conditions: Sql[] = [];
    conditions.push(sql`"Probe"."vantageId" = ${filter.vantageId}`);
    if (filter.kind !== undefined) conditions.push(sql`"Probe"."kind" = ${filter.kind}`);
    const repository = filter.repository;
    if (typeof repository === 'string') conditions.push(sql`"Probe"."repository" = ${repository}`);
    else if (repository !== undefined)
      conditions.push(repository.in.length === 0 ? sql`1 = 0` : sql`"Probe"."repository" IN (${join(repository.in)})`);
    return conditions;
  }

  /**
   * The newest probe per mirror matching `conditions`; `fixed` are the
   * columns the conditions fix by equality, which lead the ORDER BY as in
   * newestFirst (so PostgreSQL keeps to the index that starts with them).
   */
  private async newestPerMirror(
    conditions: readonly Sql[],
    fixed: readonly Exclude<FixedColumn, 'mirrorId'>[],
  ): Promise<Map<string, ProbeRecord>> {
    const { sql, join, raw } = sqlTagsOf(this.prisma.client);
    const where = join([sql`"Probe"."mirrorId" = m."id"`, ...conditions], ' AND ');
    // The same order as newestFirst, id last: of two probes started in one millisecond, the later stored wins.
    const order = raw(['mirrorId', ...fixed, 'startedAt', 'id'].map((column) => `"Probe"."${column}" DESC`).join(', '));
    const rows = await this.prisma.client.$queryRaw<ProbeRow[]>(
      sql`SELECT p.* FROM "Mirror" m JOIN "Probe" p ON p."id" = (SELECT "Probe"."id" FROM "Probe" WHERE ${where} ORDER BY ${order} LIMIT 1)`,
    );
    return new Map(rows.map((row) => [row.mirrorId, toProbeRecord(row)]));
  }

  /** Start of the oldest stored raw probe, or null when there is none. */
  async oldestStartedAt(): Promise<Date | null> {
    const row = await this.prisma.client.probe.findFirst({ orderBy: { startedAt: 'asc' }, select: { startedAt: true } });
    return row?.startedAt ?? null;
  }

  /**
   * Retention in bounded batches: deletes up to `limit` raw probes started
   * before `cutoff` and returns how many. One DELETE of a month of rows would
   * hold SQLite's write lock for seconds, past the busy timeout of the probe
   * writes queued behind it; a small batch holds it for milliseconds and the
   * caller yields between batches. The ids come from the startedAt index.
   */
  async deleteOlderThanBatch(cutoff: Date, limit: number): Promise<number> {
    const db = this.prisma.client;
    // Ordered, so the planner walks the startedAt index instead of scanning the table for old rows.
    const rows = await db.probe.findMany({
      where: { startedAt: { lt: cutoff } },
      select: { id: true },
      orderBy: { startedAt: 'asc' },
      take: limit,
    });
    if (rows.length === 0) return 0;
    const { count } = await db.probe.deleteMany({ where: { id: { in: rows.map((row) => row.id) } } });
    return count;
  }
}
