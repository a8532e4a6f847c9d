/**
 * A month of history at scale (issue 16): starts the built product on a
 * seeded month (bench/history/seed.ts) and measures what an operator meets:
 * time to first answer, liveness during the rollup backfill, health latency
 * over ten probe cycles, p50/p95 of the pages and APIs, peak RSS and the
 * shutdown time. A node:http server sending the same bytes is the reference
 * for each endpoint, measured in the same run.
 *
 *   npm run bench:history -- --database sqlite --seed-dir /tmp/mw-month
 *   npm run bench:history -- --database postgresql --seed-dir /tmp/mw-month-pg --url postgresql://postgres@127.0.0.1:PORT/mw_seed
 *
 * The seeded database is never changed: SQLite runs on a copy of the file,
 * PostgreSQL on a copy made with CREATE DATABASE ... TEMPLATE. Needs
 * `npm run build` (the product runs from apps/api/dist like `npm start`).
 */
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { getFreePort, seedAlpine, seedProbeTarget, startRegistry } from '@mirrorwatch/lab';
import { startForwarders } from './forwarders.js';
import { percentile, round1, sleep, startPoller, timedGet } from './measure.js';
import { startProductProcess, type ProductProcess } from './product-process.js';
import { renderReport, type BenchFigures, type EndpointFigures } from './report.js';
import { SEED_PORT_BASE, seedMirrors } from './seed-profile.js';
import { staticReference } from './static-reference.js';
import { environmentPairs } from '../lib/environment-pairs.js';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'sqlite' },
    'seed-dir': { type: 'string', default: '/tmp/mirrorwatch-month' },
    url: { type: 'string' },
    cycles: { type: 'string', default: '10' },
    interval: { type: 'string', default: '6' },
    samples: { type: 'string', default: '30' },
    // The backfill of a month is thousands of mirror-days; on a shared machine it may outlast the run: measure serving during it, then go on.
    'catch-up-limit': { type: 'string', default: '240' },
    out: { type: 'string' },
    // Flags for the product's node, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof" to see where its time goes.
    'product-node-args': { type: 'string' },
    // Another build of the product to start (default apps/api/dist/main.js): a before/after pair measured back to back.
    entry: { type: 'string' },
    // A file to append every stall of the product's event loop to, with what ran in it (bench/history/stall-trace.mjs).
    'stall-trace': { type: 'string' },
    // A file to write the product's whole output to when it has stopped (its logs, and what --trace-gc prints).
    'product-log': { type: 'string' },
    // Environment after \`npm start\`'s own (NAME=value, space-separated): a variant measured before it goes into the start script.
    'product-env': { type: 'string', default: '' },
  },
});
const database = values.database === 'postgresql' ? 'postgresql' : 'sqlite';
const seedDir = values['seed-dir'];
const seedReport = JSON.parse(readFileSync(path.join(seedDir, 'seed-report.json'), 'utf8')) as {
  mirrors: number;
  probeRows: number;
  rollupMode: string;
  bytesPerProbeRow: number;
  databaseBytes: number;
  monthEnd: string;
};
const cycles = Number(values.cycles);
const intervalSeconds = Number(values.interval);
const samples = Number(values.samples);
const loadAverageAtStart = loadavg().map((value) => round1(value));
const scratch = mkdtempSync(path.join(tmpdir(), 'mirrorwatch-history-bench-'));

/** A copy of the seeded database for this run; returns its URL and how to drop it. */
async function databaseCopy(): Promise<{ url: string; drop(): Promise<void> }> {
  if (database === 'sqlite') {
    const file = path.join(scratch, 'mirrorwatch.db');
    copyFileSync(path.join(seedDir, 'mirrorwatch.db'), file);
    return { url: `file:${file}`, drop: async () => rmSync(file, { force: true }) };
  }
  if (!values.url) throw new Error('--url (the seeded PostgreSQL database) is required with --database postgresql');
  const seeded = new URL(values.url);
  const copyName = `${seeded.pathname.slice(1)}_run`;
  const admin = new pg.Client({ connectionString: Object.assign(new URL(values.url), { pathname: '/postgres' }).toString() });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${copyName}"`);
  await admin.query(`CREATE DATABASE "${copyName}" TEMPLATE "${seeded.pathname.slice(1)}"`);
  await admin.end();
  const url = Object.assign(new URL(values.url), { pathname: `/${copyName}` }).toString();
  return {
    url,
    drop: async () => {
      const client = new pg.Client({
        connectionString: Object.assign(new URL(values.url as string), { pathname: '/postgres' }).toString(),
      });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS "${copyName}" WITH (FORCE)`);
      await client.end();
    },
  };
}

const mirrors = seedMirrors(seedReport.mirrors);
const livePorts = mirrors.filter((m) => m.profile !== 'dead').map((m) => SEED_PORT_BASE + 1 + m.index);
const upstream = await startRegistry({ name: 'history-upstream' });
let product: ProductProcess | null = null;
const copy = await databaseCopy();
const forwarders = await startForwarders(livePorts, upstream.port);
try {
  await seedAlpine(upstream.url);
  const target = await seedProbeTarget(upstream.url);
  const port = await getFreePort();
  const origin = `http://127.0.0.1:${port}`;
  product = startProductProcess({
    port,
    nodeArgs: [
      ...(values['product-node-args']?.split(/\s+/).filter((word) => word !== '') ?? []),
      ...(values['stall-trace'] ? [`--import=${fileURLToPath(new URL('stall-trace.mjs', import.meta.url))}`] : []),
    ],
    entry: values.entry,
    logFile: values['product-log'],
    env: {
      ...(values['stall-trace'] ? { MIRRORWATCH_STALL_TRACE_FILE: path.resolve(values['stall-trace']) } : {}),
      DATABASE_URL: copy.url,
      MIRRORWATCH_CATALOG: path.join(seedDir, 'catalog.yaml'),
      ALLOWLIST_PROBE_REPOSITORY: target.repository,
      REFERENCE_REGISTRY_URL: upstream.url,
      PROBE_INTERVAL_SECONDS: String(intervalSeconds),
      PROBE_CONCURRENCY: '16',
      RATE_LIMIT_PER_MINUTE: '0',
      // Info: the start-up milestones the report reads (the windows' load); a line per cycle, none per probe.
      LOG_LEVEL: 'info',
      ...environmentPairs(values['product-env'], '--product-env'),
    },
  });

  // Start-up: liveness polled from the moment the process is spawned.
  const firstLiveMs = await product.waitFor(`${origin}/api/health/live`);
  const firstMirrorsMs = await product.waitFor(`${origin}/api/mirrors`);

  // Catch-up: liveness (and the main API) polled while readiness says "catching_up".
  const liveDuringCatchUp = startPoller(`${origin}/api/health/live`, 50, product.spawnedAt);
  const mirrorsDuringCatchUp = startPoller(`${origin}/api/mirrors`, 250, product.spawnedAt);
  const catchUpStarted = performance.now();
  let sawCatchingUp = false;
  let catchUpFinished = false;
  let catchUpProgress: { done: number; total: number } | null = null;
  const catchUpLimitMs = Number(values['catch-up-limit']) * 1000;
  for (;;) {
    const ready = await fetch(`${origin}/api/health/ready`)
      .then(async (r) => (r.ok ? ((await r.json()) as { status: string; catchUp: { done: number; total: number } | null }) : null))
      .catch(() => null);
    if (ready?.status === 'catching_up') {
      sawCatchingUp = true;
      catchUpProgress = ready.catchUp;
    }
    if (ready?.status === 'ready') {
      catchUpFinished = true;
      break;
    }
    if (performance.now() - catchUpStarted > catchUpLimitMs) break;
    await sleep(500);
  }
  const catchUpMs = performance.now() - catchUpStarted;
  const liveCatchUp = await liveDuringCatchUp.stop();
  const mirrorsCatchUp = await mirrorsDuringCatchUp.stop();

  // Ten probe cycles: the stall the issue saw after each one shows as a slow health answer.
  const cyclesAtStart = await lightCyclesNow(origin);
  const healthPoller = startPoller(`${origin}/api/health/live`, 50, product.spawnedAt);
  const readyPoller = startPoller(`${origin}/api/health/ready`, 200, product.spawnedAt);
  const cycleDeadline = performance.now() + (cycles + 3) * intervalSeconds * 1000 + 60_000;
  while (((await lightCycles(origin)) ?? cyclesAtStart) < cyclesAtStart + cycles && performance.now() < cycleDeadline) await sleep(500);
  const cyclesSeen = (await lightCyclesNow(origin)) - cyclesAtStart;
  const health = await healthPoller.stop();
  const readiness = await readyPoller.stop();

  // Endpoints, sequentially, while probing goes on; each beside a static server sending the same bytes.
  const anyMirror = mirrors.find((m) => m.profile === 'healthy')?.id ?? mirrors[0]?.id;
  const endpoints: Array<[string, string]> = [
    ['/api/mirrors', '/api/mirrors'],
    ['/api/status', '/api/status'],
    ['/api/sparklines', '/api/sparklines'],
    ['history 1h', `/api/mirrors/${anyMirror}/history?window=1h`],
    ['history 24h', `/api/mirrors/${anyMirror}/history?window=24h`],
    ['history 7d', `/api/mirrors/${anyMirror}/history?window=7d`],
    ['history 30d', `/api/mirrors/${anyMirror}/history?window=30d`],
    // Prometheus' scrape, public (no METRICS_TOKEN here): per-mirror series for 100 mirrors.
    ['/metrics', '/metrics'],
    ['/status (page)', '/status'],
    ['/ (page)', '/'],
  ];
  const endpointFigures: EndpointFigures[] = [];
  for (const [name, route] of endpoints) {
    const times: number[] = [];
    let bytes = 0;
    let non200 = 0;
    await timedGet(`${origin}${route}`); // warm-up (JIT, Next's first render), not counted
    for (let i = 0; i < samples; i++) {
      const result = await timedGet(`${origin}${route}`);
      times.push(result.ms);
      bytes = Math.max(bytes, result.bytes);
      if (result.status !== 200) non200 += 1;
    }
    const body = Buffer.from(await (await fetch(`${origin}${route}`)).arrayBuffer());
    const reference = await staticReference(body, samples);
    endpointFigures.push({
      name,
      route,
      bytes,
      non200,
      p50: percentile(times, 50),
      p95: percentile(times, 95),
      max: Math.max(...times),
      referenceP50: reference.p50,
      referenceP95: reference.p95,
    });
  }

  const rssPeakKiB = product.peakRssKiB();
  const shutdownMs = await product.stopAndTime();
  const figures: BenchFigures = {
    database,
    machine: `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}`,
    seed: seedReport,
    intervalSeconds,
    firstLiveMs: round1(firstLiveMs),
    firstMirrorsMs: round1(firstMirrorsMs),
    sawCatchingUp,
    catchUpFinished,
    catchUpProgress,
    catchUpMs: round1(catchUpMs),
    loadAverageAtStart,
    loadAverageAtEnd: loadavg().map((value) => round1(value)),
    liveDuringCatchUp: { ...liveCatchUp, max: round1(liveCatchUp.max) },
    mirrorsDuringCatchUp: { ...mirrorsCatchUp, max: round1(mirrorsCatchUp.max) },
    cyclesSeen,
    healthOverCycles: { ...health, max: round1(health.max) },
    readinessOverCycles: { ...readiness, max: round1(readiness.max) },
    endpoints: endpointFigures,
    rssPeakMiB: round1(rssPeakKiB / 1024),
    shutdownMs: round1(shutdownMs),
    productErrors: product.errorLines(),
    windowsLoad: windowsLoadOf(product.loggedEvent('probe windows loaded')),
    forwardedMirrors: livePorts.length - forwarders.taken.length,
    portsTaken: forwarders.taken,
  };
  product = null;
  const report = renderReport(figures);
  process.stdout.write(`${report}\n`);
  const out = values.out ?? 'docs/benchmarks/history-at-scale.md';
  writeSection(out, database, report);
  process.stderr.write(`figures written into ${out} (section ${database})\n`);
} finally {
  if (product) await product.stopAndTime().catch(() => undefined);
  await forwarders.stop();
  await upstream.stop();
  await copy.drop().catch(() => undefined);
  if (existsSync(scratch)) rmSync(scratch, { recursive: true, force: true });
}

/** Replaces this database's section of the note (between its markers), so the figures there are the script's own output. */
function writeSection(file: string, section: string, body: string): void {
  const start = `<!-- bench:history:${section}:start -->`;
  const end = `<!-- bench:history:${section}:end -->`;
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const block = `${start}\n${body}\n${end}`;
  const from = text.indexOf(start);
  const to = text.indexOf(end);
  writeFileSync(file, from >= 0 && to > from ? text.slice(0, from) + block + text.slice(to + end.length) : `${text}\n${block}\n`);
}

/**
 * Light cycles completed, from the scheduler's own counter in `/metrics`. Not
 * from `/api/health/ready`: that answers 503 whenever readiness fails (a
 * loaded machine, a stale ranking), which read as 0 and gave "over -8 cycles".
 * Null when the metrics could not be read, so a failed read is never a count.
 */
async function lightCycles(origin: string): Promise<number | null> {
  const response = await fetch(`${origin}/metrics`).catch(() => null);
  if (!response?.ok) return null;
  const match = /^mirrorwatch_scheduler_cycles_completed\{kind="light"\} (\d+)$/m.exec(await response.text());
  return match ? Number(match[1]) : null;
}

/** Retries the counter until it reads (a slow answer is waited for, not taken as zero); fails the run after a minute. */
async function lightCyclesNow(origin: string): Promise<number> {
  const deadline = performance.now() + 60_000;
  while (performance.now() < deadline) {
    const count = await lightCycles(origin);
    if (count !== null) return count;
    await sleep(250);
  }
  throw new Error(`${origin}/metrics gave no mirrorwatch_scheduler_cycles_completed{kind="light"} for a minute`);
}

/** The start-up load of the ranking's rolling windows, as the product logged it (ProbeWindowsService). */
function windowsLoadOf(event: Record<string, unknown> | null): BenchFigures['windowsLoad'] {
  if (event === null) return null;
  const { probes, pages, ms } = event;
  return typeof probes === 'number' && typeof pages === 'number' && typeof ms === 'number' ? { probes, pages, ms } : null;
}
