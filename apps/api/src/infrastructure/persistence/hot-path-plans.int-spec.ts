import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseProvider } from './database-url.js';
import { MirrorRepository } from './mirror.repository.js';
import type { AdapterQuery, AdapterQueryable } from './prisma-client.factory.js';
import { probeColumns } from './probe-record.js';
import { ProbeRepository } from './probe.repository.js';
import { RollupRepository } from './rollup.repository.js';
import { postgresForTests } from './testing/postgres-test-server.js';
import { deepProbe, failedProbe, lightProbe } from './testing/probe-result.fixture.js';
import { openTestDatabase, type TestDatabase } from './testing/test-database.js';
import { LOCAL_VANTAGE_ID } from '../configuration/local-vantage.js';
import { testMirror } from './testing/mirror-definition.fixture.js';

/**
 * The query plans of every query on the hot path (each probe cycle's
 * ranking, the pages' windows, retention and rollups), as Prisma really
 * sends them: a query that loses its bounding index fails here, instead of
 * stalling a month-old install for seconds after every cycle (issue 16).
 * SQLite: EXPLAIN QUERY PLAN on the same connection. PostgreSQL: EXPLAIN with
 * sequential scans priced out, so a plan without a usable index shows as a
 * Seq Scan however small the test table is.
 */
const postgres = postgresForTests();
const pgBinaries = postgres.binaries;
const PROVIDERS: { provider: DatabaseProvider; skip: boolean; label: string }[] = [
  { provider: 'sqlite', skip: false, label: 'sqlite' },
  { provider: 'postgresql', skip: postgres.skip, label: `postgresql${postgres.label}` },
];

const T0 = new Date('2026-03-01T00:00:00.000Z');
const at = (minutes: number) => new Date(T0.getTime() + minutes * 60_000);
const REPOSITORY = 'library/alpine';
const AGENT = 'agent-net';
const LOCAL = { vantageId: LOCAL_VANTAGE_ID };
const MINUTES_OF_HISTORY = 2 * 1440;
const mirror = testMirror;

interface PlanOptions {
  /** ORDER BY ... LIMIT 1 along an index: SQLite reports a SCAN that stops at the first row. */
  orderedLimit?: boolean;
  /** "The newest N": rows must come in index order, no sort of all matches. */
  newestFirst?: boolean;
}

interface Captured {
  query: AdapterQuery;
  connection: AdapterQueryable;
}

/** Reads of the big tables: every SELECT naming Probe or ProbeRollup. */
const readsOfBigTables = (captured: readonly Captured[]) =>
  captured.filter(({ query }) => /^\s*SELECT/i.test(query.sql) && /[`"]Probe(Rollup)?[`"]/.test(query.sql));

describe.each(PROVIDERS)('hot-path query plans on $label', ({ provider, skip }) => {
  let db: TestDatabase;
  let captured: Captured[] = [];
  let probes: ProbeRepository;
  let rollups: RollupRepository;
  let explainClient: pg.Client | null = null;

  beforeAll(async () => {
    if (skip) return;
    db = await openTestDatabase(provider, pgBinaries, { observeQueries: (query, connection) => captured.push({ query, connection }) });
    probes = new ProbeRepository(db.prisma);
    rollups = new RollupRepository(db.prisma);
    await new MirrorRepository(db.prisma).syncCatalog([mirror('alive'), mirror('dead'), mirror('third')]);
    await db.prisma.client.vantage.create({ data: { id: AGENT, name: AGENT } });
    // Enough rows (two days at one a minute for three mirrors) that PostgreSQL's
    // statistics price a walk of the wrong index as what it is, as on a real install.
    const rows = [];
    for (let minute = -MINUTES_OF_HISTORY; minute < 180; minute += 1) {
      rows.push(
        probeColumns('alive', LOCAL_VANTAGE_ID, minute % 30 === 7 ? deepProbe(at(minute), 4_000_000) : lightProbe(at(minute)), REPOSITORY),
      );
      rows.push(probeColumns('dead', LOCAL_VANTAGE_ID, failedProbe(at(minute), 'connect_refused'), REPOSITORY));
      // An agent's view of two mirrors, as many rows as the local ones: a local read must not wade through them.
      rows.push(probeColumns('alive', AGENT, minute % 10 === 3 ? failedProbe(at(minute), 'timeout') : lightProbe(at(minute)), REPOSITORY));
      rows.push(probeColumns('dead', AGENT, minute % 30 === 11 ? deepProbe(at(minute), 2_000_000) : lightProbe(at(minute)), REPOSITORY));
      rows.push(
        probeColumns(
          'third',
          LOCAL_VANTAGE_ID,
          minute % 10 === 0 ? failedProbe(at(minute), 'timeout') : lightProbe(at(minute)),
          REPOSITORY,
        ),
      );
    }
    for (let offset = 0; offset < rows.length; offset += 2_000)
      await db.prisma.client.probe.createMany({ data: rows.slice(offset, offset + 2_000) });
    await rollups.rollUpMirrorDay('alive', T0, { repository: REPOSITORY });
    await rollups.rollUpMirrorDay('dead', T0, { repository: REPOSITORY });
    if (provider === 'postgresql') {
      explainClient = new pg.Client({ connectionString: db.url });
      await explainClient.connect();
      await explainClient.query('ANALYZE');
      await explainClient.query('SET enable_seqscan = off');
    }
  }, 300_000);
  afterAll(async () => {
    await explainClient?.end();
    await db?.close();
  });

  /** The plan of a statement, one line per plan node. */
  async function plan({ query, connection }: Captured): Promise<string[]> {
    if (provider === 'sqlite') {
      const result = await connection.queryRaw({ ...query, sql: `EXPLAIN QUERY PLAN ${query.sql}` });
      const detail = result.columnNames.indexOf('detail');
      return result.rows.map((row) => String(row[detail]));
    }
    if (!explainClient) throw new Error('no PostgreSQL connection for EXPLAIN');
    const args = query.args.map((arg) => (arg instanceof Date ? arg.toISOString() : arg));
    const result = await explainClient.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.sql}`, args);
    return result.rows.map((row) => row['QUERY PLAN']);
  }

  /** Runs `work`, then returns the plans of its reads of Probe/ProbeRollup. */
  async function plansOf(work: () => Promise<unknown>): Promise<{ sql: string; plan: string[] }[]> {
    captured = [];
    await work();
    const reads = readsOfBigTables(captured);
    captured = [];
    expect(reads.length, 'the work read Probe or ProbeRollup').toBeGreaterThan(0);
    return Promise.all(reads.map(async (read) => ({ sql: read.query.sql, plan: await plan(read) })));
  }

  /**
   * No full scan of either big table: SQLite "SCAN Probe" (with or without an
   * index), PostgreSQL "Seq Scan on Probe". `orderedLimit`: an ORDER BY ...
   * LIMIT 1 along an index, which SQLite reports as a SCAN but stops at the first row.
   */
  function expectBounded(
    plans: { sql: string; plan: string[] }[],
    expectedIndex: string | readonly string[] | undefined,
    { orderedLimit = false, newestFirst = false }: PlanOptions,
  ): void {
    for (const { sql, plan: lines } of plans) {
      const text = lines.join('\n');
      const context = `${sql}\n--- plan ---\n${text}`;
      if (provider === 'sqlite') {
        const scans = lines.filter((line) => /^SCAN (main\.)?(Probe|ProbeRollup)\b/.test(line));
        if (orderedLimit) {
          expect(
            scans.every((line) => / USING (COVERING )?INDEX /.test(line)),
            context,
          ).toBe(true);
        } else {
          expect(scans, context).toEqual([]);
          expect(
            lines.some((line) => /^SEARCH (main\.)?(Probe|ProbeRollup) USING (COVERING )?INDEX/.test(line)),
            context,
          ).toBe(true);
        }
        // A sort of every row found would defeat the LIMIT: newest-first reads must come in index order.
        if (newestFirst)
          expect(
            lines.filter((line) => /TEMP B-TREE FOR (LAST TERM OF )?ORDER BY/.test(line)),
            context,
          ).toEqual([]);
      } else {
        expect(text, context).not.toMatch(/Seq Scan on "?Probe(Rollup)?"?/);
        expect(text, context).toMatch(/Index (Only )?Scan|Bitmap Index Scan/);
      }
      const accepted = typeof expectedIndex === 'string' ? [expectedIndex] : (expectedIndex ?? []);
      if (accepted.length > 0)
        expect(
          accepted.some((index) => new RegExp(`\\b${index}\\b`).test(text)),
          context,
        ).toBe(true);
    }
  }

  const hour = (minutes: number) => at(minutes);
  const NEWEST: PlanOptions = { newestFirst: true };
  const byProvider = (index: string, ...alsoOnPostgres: string[]): string[] =>
    provider === 'sqlite' ? [index] : [index, ...alsoOnPostgres];
  /**
   * PostgreSQL picks between a vantage's index and the startedAt index by its
   * statistics: here local rows are most of the table and lie in startedAt
   * order on the heap, so a startedAt walk that filters the few others wins;
   * with many agents the vantage's index is the selective one. Both bound the read.
   */
  const vantageWindow = byProvider('Probe_vantageId_startedAt_idx', 'Probe_startedAt_idx');
  it.skipIf(skip).each([
    [
      'the newest successful deep probe (dead mirror: none locally, the agent has some)',
      () => probes.latestSuccessfulDeep('dead', LOCAL_VANTAGE_ID),
      'Probe_mirrorId_vantageId_kind_ok_startedAt_id_idx',
      NEWEST,
    ],
    [
      'the newest successful deep probe of every mirror (the ranking)',
      () => probes.latestSuccessfulDeepByMirror(['alive', 'dead', 'third'], LOCAL_VANTAGE_ID),
      'Probe_mirrorId_vantageId_kind_ok_startedAt_id_idx',
      NEWEST,
    ],
    [
      'the newest failure of a mirror that never failed (locally; the agent saw failures)',
      () => probes.recent('alive', LOCAL_VANTAGE_ID, 1, { failuresOnly: true }),
      'Probe_mirrorId_vantageId_ok_startedAt_id_idx',
      NEWEST,
    ],
    // Newest-first reads of a probed mirror: PostgreSQL may walk a startedAt index backwards instead,
    // which finds the mirror's newest row after about one row per mirror and vantage probed meanwhile.
    [
      'the newest probe of each mirror',
      () => probes.latestByMirror({ ...LOCAL, repository: REPOSITORY }),
      byProvider('Probe_mirrorId_vantageId_startedAt_id_idx', 'Probe_vantageId_startedAt_idx', 'Probe_startedAt_idx'),
      NEWEST,
    ],
    [
      "the newest probe of each mirror, one kind, an agent's",
      () => probes.latestByMirror({ vantageId: AGENT, repository: { in: [REPOSITORY] }, kind: 'deep' }),
      [
        // Or the (mirrorId, vantageId, kind, ...) index: that mirror's few deep probes from there, sorted.
        ...byProvider('Probe_mirrorId_vantageId_startedAt_id_idx', 'Probe_vantageId_startedAt_idx', 'Probe_startedAt_idx'),
        'Probe_mirrorId_vantageId_kind_ok_startedAt_id_idx',
      ],
      NEWEST,
    ],
    [
      'the latest N probes of a mirror',
      () => probes.recent('alive', LOCAL_VANTAGE_ID, 50),
      byProvider('Probe_mirrorId_vantageId_startedAt_id_idx', 'Probe_vantageId_startedAt_idx', 'Probe_startedAt_idx'),
      NEWEST,
    ],
    [
      'last-hour manifest latencies',
      () => probes.manifestLatenciesSince(hour(120), { ...LOCAL, repository: REPOSITORY }),
      vantageWindow,
      {},
    ],
    [
      'probe counts of a window',
      () => probes.successCountsBetween(hour(120), hour(180), { ...LOCAL, repository: REPOSITORY }),
      vantageWindow,
      {},
    ],
    // Open-ended, as the ranking asks: SQLite without statistics walked the whole (mirrorId, ok, startedAt) index for it.
    ['probe counts since a moment', () => probes.successCountsSince(hour(120), { ...LOCAL, repository: REPOSITORY }), vantageWindow, {}],
    [
      'integrity failures of the last day',
      () => probes.failureCountsSince(hour(0), 'integrity', LOCAL),
      byProvider('Probe_failureClass_startedAt_idx', 'Probe_vantageId_startedAt_idx'),
      {},
    ],
    [
      'hangs of the last day',
      () => probes.failureCountsSince(hour(0), 'timeout', { vantageId: AGENT, repository: { in: [REPOSITORY] } }),
      byProvider('Probe_failureClass_startedAt_idx', 'Probe_vantageId_startedAt_idx'),
      {},
    ],
    // A window of one mirror: either index bounds it by the window.
    [
      'a mirror raw history window',
      () => probes.between('alive', hour(120), hour(180), { ...LOCAL, repository: REPOSITORY }),
      ['Probe_mirrorId_vantageId_startedAt_id_idx', 'Probe_vantageId_startedAt_idx', 'Probe_startedAt_idx'],
      {},
    ],
    // The leader's windows load a day of its probes a page at a time: each page a range of the window, never a sort of all of it.
    [
      'a first page of the windows',
      () => probes.windowRowsPage(LOCAL_VANTAGE_ID, { from: hour(0), to: hour(180) }, null, 500),
      vantageWindow,
      {},
    ],
    [
      'a later page of the windows',
      () => probes.windowRowsPage(LOCAL_VANTAGE_ID, { from: hour(0), to: hour(180) }, { startedAt: hour(60), id: 1 }, 500),
      vantageWindow,
      {},
    ],
    ['the oldest raw probe', () => probes.oldestStartedAt(), 'Probe_startedAt_idx', { orderedLimit: true }],
    ['a retention batch', () => probes.deleteOlderThanBatch(hour(1), 5), 'Probe_startedAt_idx', {}],
    [
      'one mirror-day of a rollup (every vantage)',
      () => rollups.rollUpMirrorDay('alive', T0, { repository: REPOSITORY }),
      ['Probe_mirrorId_vantageId_startedAt_id_idx', 'Probe_startedAt_idx'],
      {},
    ],
    ['the newest hourly rollup', () => rollups.latestBucketStart('hour'), 'ProbeRollup_granularity_bucketStart_idx', {}],
    [
      "the local vantage's newest hourly rollup",
      () => rollups.latestBucketStart('hour', LOCAL_VANTAGE_ID),
      'ProbeRollup_vantageId_granularity_bucketStart_idx',
      {},
    ],
    [
      'hourly rollup sums of a window',
      () => rollups.sumCounts('hour', hour(0), hour(180), LOCAL_VANTAGE_ID),
      'ProbeRollup_vantageId_granularity_bucketStart_idx',
      {},
    ],
    [
      'daily rollups of the status page',
      () => rollups.listForMirrors(['alive', 'dead'], 'day', hour(0), hour(1440), LOCAL_VANTAGE_ID),
      ['ProbeRollup_vantageId_granularity_bucketStart_idx', 'ProbeRollup_mirrorId_vantageId_granularity_bucketStart_key'],
      {},
    ],
    ['a mirror hourly rollups', () => rollups.list('alive', 'hour', hour(0), LOCAL_VANTAGE_ID), undefined, {}],
  ] as const)('%s uses a bounding index', async (_name, work, expectedIndex, options: PlanOptions) => {
    expectBounded(await plansOf(work), expectedIndex, options);
  });
});
