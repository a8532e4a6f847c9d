/**
 * CPU per probe and resident memory of the product probing 50 lab mirrors
 * every 20 s (issue 10), beside Uptime Kuma 2.5.3 checking the same mirrors
 * at the same interval in the same run (with --kuma DIR, a build of its
 * 2.5.3 tag): process CPU time (utime + stime of all threads and of any child process, /proc) over a
 * measured window divided by the checks stored in it (our probe rows, Kuma's
 * heartbeats), and RSS. Our window starts and ends on a commit, since a
 * cycle's rows are stored in one transaction. Each mirror is its own loopback port forwarded (in
 * this process, so not counted) to the lab's real docker-registry
 * pull-through mirror: a light probe walks /v2/, token and manifest.
 * The dashboard is served and its pages opened once, as a visitor would; the default warm-up (360 s) outlasts
 * DASHBOARD_IDLE_STOP_SECONDS (300), so the window shows the product as it runs when nobody looks at it, the
 * state most of a monitor's hours are in (the output says whether the dashboard's process was loaded);
 * `--warmup 60` measures it with the dashboard loaded, `--web false` without a dashboard. The window is 300 s
 * (15 cycles): over 120 s (6) one more or one fewer full collection or recompilation burst moved the figure
 * by ±0.5 ms between runs of one build.
 * Usage: npm run bench:probe-cpu [-- --mirrors 50 --interval 20 --warmup 360 --seconds 300 --kuma /tmp/kuma-2.5.3]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { environmentPairs } from '../lib/environment-pairs.js';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { measureKuma, type KumaFigures } from './kuma.js';
import { cpuMs, minorFaults, residentMiB, splitThreads, threadCpuMs } from './process-figures.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '360' },
    seconds: { type: 'string', default: '300' },
    kuma: { type: 'string', default: '' },
    label: { type: 'string', default: 'mirrorwatch' },
    /** The dashboard is served, as `npm start` does, and its two main pages opened once (false: API only, the earlier rows). */
    web: { type: 'string', default: 'true' },
    /** Node/V8 flags after `npm start`'s own: a variant measured before it goes into the start script. */
    'node-flags': { type: 'string', default: '' },
    /** Environment after `npm start`'s own (NAME=value, space-separated): a glibc setting measured before it goes into the start script. */
    env: { type: 'string', default: '' },
    /** Another build of the product to start (default apps/api/dist/main.js, e.g. a worktree of an earlier commit): a before/after pair. */
    entry: { type: 'string' },
  },
});
const mirrorCount = Number(values.mirrors);
const intervalSeconds = Number(values.interval);
const warmupSeconds = Number(values.warmup);
const seconds = Number(values.seconds);
const extraEnvironment = environmentPairs(values.env);

/**
 * Whether the dashboard's Next.js process was running, by the product's own log: it stops the process after
 * DASHBOARD_IDLE_STOP_SECONDS without a page request and says so, and says so again when a request starts it.
 */
function dashboardThread(output: string): 'stopped (idle)' | 'loaded' {
  const stopped = output.lastIndexOf('dashboard idle: its process is stopped');
  return stopped !== -1 && stopped > output.lastIndexOf('dashboard started again') ? 'stopped (idle)' : 'loaded';
}

/** Polls the row count until it changes (the next commit), and returns the new count. */
async function afterNextCommit(rows: () => number): Promise<number> {
  const from = rows();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = rows();
    if (now !== from) return now;
  }
}

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-probe-cpu-'));
const databasePath = join(scratch, 'mirrorwatch.db');
const lab = await startLab();
let product: RunningProduct | null = null;
let forwarded: Awaited<ReturnType<typeof forwardedCatalog>> | null = null;
try {
  forwarded = await forwardedCatalog(lab, mirrorCount, 'cpu', scratch);
  product = await startProduct({
    catalogPath: forwarded.catalogPath,
    probeIntervalSeconds: intervalSeconds,
    serveWeb: values.web === 'true',
    entry: values.entry,
    nodeArgs: values['node-flags'].split(/\s+/).filter(Boolean),
    env: {
      DATABASE_URL: `file:${databasePath}`,
      LOG_LEVEL: 'info',
      PROBE_BUDGET_PER_HOUR: '100000',
      ...extraEnvironment,
    },
  });
  const pid = product.pid;
  if (pid === null) throw new Error('the product has no pid');
  // A visitor's look at the dashboard: Next loads the pages' code in its process, as it does for users.
  if (values.web === 'true') for (const page of ['/', '/status']) await fetch(product.origin + page).then((response) => response.text());
  await new Promise((resolve) => setTimeout(resolve, warmupSeconds * 1000));
  const database = new Database(databasePath, { readonly: true, fileMustExist: true });
  const probeRows = () => (database.prepare('SELECT COUNT(*) AS n FROM Probe').get() as { n: number }).n;
  // A cycle's probe rows land together (one transaction per cycle): the window opens and closes just
  // after a commit, so it holds whole cycles, not a share of the rows that depends on where it falls.
  const rowsBefore = await afterNextCommit(probeRows);
  const dashboardAtStart = values.web === 'true' ? dashboardThread(product.output()) : 'off';
  const cpuBefore = cpuMs(pid);
  const faultsBefore = minorFaults(pid);
  const threadsBefore = threadCpuMs(pid);
  const loadAtStart = loadavg()[0] ?? 0;
  const startedAt = Date.now();
  let rssMax = residentMiB(pid);
  while (Date.now() - startedAt < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rssMax = Math.max(rssMax, residentMiB(pid));
  }
  const rowsAfter = await afterNextCommit(probeRows);
  const dashboardAtEnd = values.web === 'true' ? dashboardThread(product.output()) : 'off';
  const threads = splitThreads(threadsBefore, threadCpuMs(pid), pid);
  const loadAtEnd = loadavg()[0] ?? 0;
  const ours: KumaFigures = {
    checks: rowsAfter - rowsBefore,
    cpuMs: cpuMs(pid) - cpuBefore,
    minorFaults: minorFaults(pid) - faultsBefore,
    rssEndMiB: residentMiB(pid),
    rssMaxMiB: rssMax,
    wallSeconds: (Date.now() - startedAt) / 1000,
  };
  const faultsPerCheck = ours.minorFaults / ours.checks;
  database.close();
  await product.stop();
  product = null;
  // Printed now as well: a failure in Kuma's half of the run must not lose the figures of ours.
  console.log(
    `our window: ${ours.checks} checks, ${ours.cpuMs.toFixed(0)} ms CPU (${(ours.cpuMs / ours.checks).toFixed(2)} per check), RSS end / max ${ours.rssEndMiB.toFixed(0)} / ${ours.rssMaxMiB.toFixed(0)} MiB, ${faultsPerCheck.toFixed(0)} minor page faults per check`,
  );
  const kuma = values.kuma
    ? await measureKuma({ kumaDir: values.kuma, urls: forwarded.urls, intervalSeconds, warmupSeconds, seconds })
    : null;

  const row = (name: string, f: KumaFigures) =>
    `| ${name} | ${f.checks} | ${f.cpuMs.toFixed(0)} | ${(f.cpuMs / f.checks).toFixed(2)} | ${((f.cpuMs / (f.wallSeconds * 1000)) * 100).toFixed(1)} % | ${f.rssEndMiB.toFixed(0)} | ${f.rssMaxMiB.toFixed(0)} | ${(f.minorFaults / f.checks).toFixed(0)} |`;
  console.log(`# CPU per probe, ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average at end ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${mirrorCount} mirrors (forwarders to one docker-registry proxy), every ${intervalSeconds} s, ${warmupSeconds} s warm-up, ${seconds} s measured per target, one after the other; our dashboard ${values.web === 'true' ? `served (pages / and /status opened once before the warm-up; its process ${dashboardAtStart} at the window's start, ${dashboardAtEnd} at its end)` : 'off'}; RSS of the process and any child process it starts, summed\n`,
  );
  console.log(
    '| target | checks stored | process CPU ms | CPU ms per check | CPU share of one core | RSS end MiB | RSS max MiB | minor page faults per check |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  console.log(row(`${values.label} (light probe: /v2/, token, manifest)`, ours));
  console.log(kuma ? row('Uptime Kuma 2.5.3 (one GET of /v2/)', kuma) : '| Uptime Kuma 2.5.3 | not run (pass --kuma DIR) | | | | | | |');
  // A thread that ended inside the window (a rollup pass) is missing from the split; its CPU shows in the last figure, with child processes'.
  const perCheck = (ms: number) => (ms / ours.checks).toFixed(2);
  console.log(
    `\nLoad average (1 min) over our window: ${loadAtStart.toFixed(2)} at its start, ${loadAtEnd.toFixed(2)} at its end.\nOur CPU ms per check by thread: API (main) thread ${perCheck(threads.mainMs)} (in the kernel ${perCheck(threads.mainSystemMs)}), probe engine (the thread started last) ${perCheck(threads.engineMs)} (in the kernel ${perCheck(threads.engineSystemMs)}), other threads (GC helpers, compiler, libuv pool) ${perCheck(threads.restMs)}, threads that ended in the window and child processes (the rollup pass's thread, the dashboard's process) ${perCheck(Math.max(0, ours.cpuMs - threads.mainMs - threads.engineMs - threads.restMs))}`,
  );
} finally {
  await product?.stop();
  await forwarded?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
