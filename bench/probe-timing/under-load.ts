/**
 * Probe timings while the API is under load: the product's own recorded
 * phase timings (connect, time to first byte of GET /v2/) of a loopback lab
 * mirror beside curl -w on the same request in its own process, first quiet,
 * then while wrk drives the API; plus the light cycles the scheduler skipped.
 * curl runs alternately as a second transfer in its process (after a first to
 * the same mirror, as bench:probe-timing does) and as a lone transfer, which
 * reaches the mirror after a quiet spell as the engine's probe does
 * (curl-timing.ts; docs/benchmarks/probe-timing.md, eighth pass).
 * Usage: npm run bench:probe-timing:under-load [-- --seconds 40 --connections 50 --target /api/mirrors
 *   --entry PATH (another build's apps/api/dist/main.js, to compare builds) --label L]
 * Needs `npm run build`, wrk, curl and Debian's docker-registry.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { wrk, type WrkFigures } from '../lib/wrk.js';
import { curlTiming } from './curl-timing.js';
import { percentile } from './stats.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '40' },
    connections: { type: 'string', default: '50' },
    target: { type: 'string', default: '/api/mirrors' },
    'probe-interval': { type: 'string', default: '5' },
    label: { type: 'string', default: 'mirrorwatch' },
    entry: { type: 'string', default: '' },
  },
});
const seconds = Number(values.seconds);
const loadAtStart = loadavg()
  .map((v) => v.toFixed(2))
  .join(' ');
const probeIntervalSeconds = Number(values['probe-interval']);

interface Window {
  name: string;
  from: number;
  to: number;
  curl: Array<{ connectMs: number; ttfbMs: number; transfers: 1 | 2 }>;
  skippedLight: number;
  load: WrkFigures | null;
}

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-timing-load-'));
const databasePath = join(scratch, 'mirrorwatch.db');
const lab = await startLab();
let product: RunningProduct | null = null;
try {
  const catalogPath = join(scratch, 'catalog.yaml');
  await lab.writeCatalog(catalogPath);
  product = await startProduct({
    catalogPath,
    lab,
    probeIntervalSeconds,
    ...(values.entry ? { entry: values.entry } : {}),
    env: { DATABASE_URL: `file:${databasePath}`, RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_EXPORTS_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
  });
  const origin = product.origin;
  const mirrorUrl = lab.mirror('healthy').url;
  await waitForProbes(origin);

  const measureWindow = async (name: string, underLoad: boolean): Promise<Window> => {
    const skippedBefore = await skippedLightCycles(origin);
    const from = Date.now();
    const load = underLoad ? wrk(`${origin}${values.target}`, { connections: Number(values.connections), seconds }) : null;
    const curl: Window['curl'] = [];
    while (Date.now() - from < seconds * 1000) {
      const transfers = curl.length % 2 === 0 ? 2 : 1;
      const timing = await curlTiming(`${mirrorUrl}/v2/`, null, { transfers });
      curl.push({ connectMs: timing.connectMs, ttfbMs: timing.ttfbMs, transfers });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const figures = load ? await load : null;
    const to = Date.now();
    // The cycle in flight when the window closed is allowed to finish before the count is read.
    await new Promise((resolve) => setTimeout(resolve, probeIntervalSeconds * 1000));
    return { name, from, to, curl, skippedLight: (await skippedLightCycles(origin)) - skippedBefore, load: figures };
  };
  const windows = [await measureWindow('quiet', false), await measureWindow(`wrk -c${values.connections} on ${values.target}`, true)];

  const database = new Database(databasePath, { readonly: true, fileMustExist: true });
  const rows = database
    .prepare(
      `SELECT p.startedAt AS startedAt, p.connectMs AS connectMs, p.pingTtfbMs AS ttfbMs FROM Probe p JOIN Mirror m ON m.id = p.mirrorId
       WHERE m.url = ? AND p.kind = 'light' AND p.connectMs IS NOT NULL AND p.pingTtfbMs IS NOT NULL`,
    )
    .all(mirrorUrl) as Array<{ startedAt: number | string; connectMs: number; ttfbMs: number }>;
  database.close();
  const at = (value: number | string) => (typeof value === 'number' ? value : Date.parse(value));

  const machine = `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average at start ${loadAtStart}, at end ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`;
  console.log(`# probe timings under API load (${values.label}), ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${machine}; mirror ${mirrorUrl} (lab "healthy", docker-registry proxy); light probes every ${probeIntervalSeconds} s; ${seconds} s per window; ` +
      'curl columns: the second of two transfers in one process, unless "lone transfer"\n',
  );
  console.log(
    '| window | engine probes | curl runs | connect p50 ms engine / curl | connect p95 ms engine / curl | TTFB p50 ms engine / curl | TTFB p95 ms engine / curl | curl lone transfer TTFB p50 / p95 ms | engine TTFB max ms | light cycles skipped | API req/s, p99 ms |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const window of windows) {
    const engine = rows.filter((row) => at(row.startedAt) >= window.from && at(row.startedAt) <= window.to);
    const secondTransfers = window.curl.filter((c) => c.transfers === 2);
    const loneTransfers = window.curl.filter((c) => c.transfers === 1).map((c) => c.ttfbMs);
    const fmt = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');
    const pair = (field: 'connectMs' | 'ttfbMs', p: number) =>
      `${fmt(
        percentile(
          engine.map((r) => r[field]),
          p,
        ),
      )} / ${fmt(
        percentile(
          secondTransfers.map((c) => c[field]),
          p,
        ),
      )}`;
    console.log(
      `| ${window.name} | ${engine.length} | ${window.curl.length} | ${pair('connectMs', 50)} | ${pair('connectMs', 95)} | ` +
        `${pair('ttfbMs', 50)} | ${pair('ttfbMs', 95)} | ${fmt(percentile(loneTransfers, 50))} / ${fmt(percentile(loneTransfers, 95))} | ` +
        `${fmt(Math.max(...engine.map((r) => r.ttfbMs)))} | ` +
        `${window.skippedLight} | ${window.load ? `${window.load.requestsPerSec.toFixed(0)}, ${window.load.p99Ms.toFixed(1)}` : '-'} |`,
    );
  }
} finally {
  await product?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}

async function waitForProbes(origin: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    const text = await (await fetch(`${origin}/metrics`)).text();
    if (/mirrorwatch_scheduler_cycles_completed\{kind="light"\} [1-9]/.test(text)) return;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('the product completed no light cycle within 60 s');
}

async function skippedLightCycles(origin: string): Promise<number> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const match = /mirrorwatch_scheduler_cycles_skipped\{kind="light"\} (\d+)/.exec(text);
  if (!match) throw new Error('/metrics has no mirrorwatch_scheduler_cycles_skipped{kind="light"}');
  return Number(match[1]);
}
