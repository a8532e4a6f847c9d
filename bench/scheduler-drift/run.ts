/**
 * Scheduler drift (issue 10): the product probes 100 mirrors (loopback
 * forwarders to one real docker-registry pull-through mirror) on a short
 * interval for a shortened run, optionally while wrk drives the API. From
 * the stored probe rows it reads each light cycle's start (its first probe)
 * and compares it with the ideal schedule (a grid of one interval, phased on the cycles' median), and
 * counts probes of a mirror that started before its previous probe ended
 * (overlap: the same mirror probed twice at once) and ticks the scheduler
 * skipped. With --hang the lab's hanging mirror (accepts, never answers) is
 * in the catalog too: its probes run to their timeout.
 * A cycle's start is its first probe's startedAt, stamped by the engine
 * thread when the probe begins: the product starts a cycle's first probe on
 * the schedule itself (no jitter), so this is the schedule's lateness as the
 * mirrors see it. --entry runs another build (a baseline's apps/api/dist/main.js).
 * Usage: npm run bench:scheduler-drift [-- --mirrors 100 --interval 5 --minutes 5 --load-connections 0 --hang --entry path]
 * Needs `npm run build` and Debian's docker-registry (and wrk with --load-connections).
 */
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { wrk } from '../lib/wrk.js';
import { cyclesOf, driftFigures, overlappingProbes } from './cycles.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '100' },
    interval: { type: 'string', default: '5' },
    minutes: { type: 'string', default: '5' },
    'load-connections': { type: 'string', default: '0' },
    label: { type: 'string', default: 'mirrorwatch' },
    hang: { type: 'boolean', default: false },
    entry: { type: 'string' },
  },
});
const mirrorCount = Number(values.mirrors);
const intervalMs = Number(values.interval) * 1000;
const runMs = Number(values.minutes) * 60_000;
const loadConnections = Number(values['load-connections']);

const loadAverage = () =>
  loadavg()
    .map((v) => v.toFixed(2))
    .join(' ');
const loadAtStart = loadAverage();
/** The 1-minute load average every 10 s of the run: the figures below are only as good as the machine was quiet. */
const loadSamples: number[] = [];

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-drift-'));
const databasePath = join(scratch, 'mirrorwatch.db');
const lab = await startLab();
let product: RunningProduct | null = null;
let forwarded: Awaited<ReturnType<typeof forwardedCatalog>> | null = null;
try {
  forwarded = await forwardedCatalog(lab, mirrorCount, 'drift', scratch);
  const catalogPath = forwarded.catalogPath;
  if (values.hang) appendFileSync(catalogPath, `- { name: drift-hang, url: "${lab.mirror('hang').url}" }\n`);
  product = await startProduct({
    entry: values.entry,
    catalogPath,
    probeIntervalSeconds: intervalMs / 1000,
    env: {
      DATABASE_URL: `file:${databasePath}`,
      LOG_LEVEL: 'warn',
      PROBE_BUDGET_PER_HOUR: '100000',
      RATE_LIMIT_PER_MINUTE: '0',
      RATE_LIMIT_EXPORTS_PER_MINUTE: '0',
    },
  });
  const startedAt = Date.now();
  const load = loadConnections > 0 ? wrk(`${product.origin}/api/mirrors`, { connections: loadConnections, seconds: runMs / 1000 }) : null;
  const sampler = setInterval(() => loadSamples.push(loadavg()[0] as number), 10_000);
  await new Promise((resolve) => setTimeout(resolve, runMs));
  clearInterval(sampler);
  const loadFigures = load ? await load : null;
  const metrics = await (await fetch(`${product.origin}/metrics`)).text();
  const counter = (name: string) =>
    Number(new RegExp(`mirrorwatch_scheduler_${name}\\{kind="light"\\} (\\d+)`).exec(metrics)?.[1] ?? Number.NaN);
  const skipped = counter('cycles_skipped');
  const [startedLate, carried, heldBack, notStarted] = [
    'cycles_started_late',
    'probes_carried',
    'probes_held_back',
    'probes_not_started',
  ].map(counter);

  const database = new Database(databasePath, { readonly: true, fileMustExist: true });
  const rows = database.prepare(`SELECT mirrorId, kind, startedAt, durationMs FROM Probe ORDER BY startedAt`).all() as Array<{
    mirrorId: string;
    kind: string;
    startedAt: number | string;
    durationMs: number;
  }>;
  database.close();
  const probes = rows.map((row) => ({
    mirrorId: row.mirrorId,
    kind: row.kind,
    startMs: typeof row.startedAt === 'number' ? row.startedAt : Date.parse(row.startedAt),
    durationMs: row.durationMs,
  }));
  const cycles = cyclesOf(
    probes.filter((probe) => probe.kind === 'light'),
    intervalMs,
    // The first cycle also starts the probe engine thread (about a second here): start-up, not drift.
  ).filter((cycle) => cycle.startMs >= startedAt + intervalMs / 2);
  const figures = driftFigures(cycles, intervalMs);
  const overlapping = overlappingProbes(probes);

  console.log(`# Scheduler drift (${values.label}), ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average at start ${loadAtStart}, at end ${loadAverage()}; 1-min load over the run min ${Math.min(...loadSamples).toFixed(2)} mean ${(loadSamples.reduce((sum, v) => sum + v, 0) / Math.max(1, loadSamples.length)).toFixed(2)} max ${Math.max(...loadSamples).toFixed(2)}`,
  );
  console.log(
    `${mirrorCount} mirrors${values.hang ? " + the lab's hanging mirror" : ''}, light probes every ${intervalMs / 1000} s, ${values.minutes} min${loadFigures ? `, wrk -c${loadConnections} on /api/mirrors (${loadFigures.requestsPerSec.toFixed(0)} req/s)` : ', no API load'}\n`,
  );
  console.log(
    '| target | cycles | start vs schedule p50 ms | p99 ms | max ms | trend ms/h | cycle span p50 ms | mirror probed twice at once | ticks skipped | started late | probes carried | held back | not started | goal |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  console.log(
    `| ${values.label} | ${cycles.length} | ${figures.p50Ms.toFixed(1)} | ${figures.p99Ms.toFixed(1)} | ${figures.maxMs.toFixed(1)} | ${figures.trendMsPerHour.toFixed(0)} | ${figures.spanP50Ms.toFixed(0)} | ${overlapping} | ${skipped} | ${startedLate} | ${carried} | ${heldBack} | ${notStarted} | p99 ≤ 100 ms, 0 overlapping, 0 skipped |`,
  );
  console.log(`\neach cycle's start minus its grid point (ms): ${figures.signedMs.map((ms) => ms.toFixed(0)).join(' ')}`);
} finally {
  await product?.stop();
  await forwarded?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
