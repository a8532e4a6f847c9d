/**
 * Throughput and tail latency of `GET /api/recommended-daemon.json` on the
 * running product (lab catalog, probing live) against nginx with one worker
 * serving the same bytes, and a node:http static server, all measured in
 * this run with the same wrk load.
 * Usage: npm run bench:recommended [-- --seconds 10 --connections 50]
 * Needs `npm run build` (the product runs from apps/api/dist like `npm start`), wrk and nginx.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProduct } from '@mirrorwatch/lab';
import { startNginx } from '../lib/nginx.js';
import { wrk, type WrkFigures } from '../lib/wrk.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    // The product's default cadence, and an aggressive one that keeps probe cycles running under the load.
    'probe-intervals': { type: 'string', default: '60,5' },
    label: { type: 'string', default: 'mirrorwatch' },
    out: { type: 'string', default: 'docs/benchmarks/recommended-daemon.md' },
  },
});
const load = { seconds: Number(values.seconds), connections: Number(values.connections) };
const probeIntervals = values['probe-intervals'].split(',').map(Number);

async function startStaticServer(file: string): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, [join(import.meta.dirname, 'static-file-server.mjs'), file], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(chunk.toString().trim()));
    child.once('exit', (code) => reject(new Error(`static server exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/daemon.json`, stop: () => child.kill('SIGTERM') };
}

/** A warm-up run (JIT, connection set-up) is discarded before the measured one. */
async function measure(url: string): Promise<WrkFigures> {
  await wrk(url, { ...load, seconds: Math.min(5, load.seconds) });
  return wrk(url, load);
}

/**
 * The product's worst event-loop block over the measured run: prom-client's
 * lag histogram (perf_hooks.monitorEventLoopDelay) restarts at every scrape,
 * so a scrape right before the run and one right after frame it.
 */
async function loopLag(origin: string): Promise<{ maxMs: number; p99Ms: number; gcSeconds: number }> {
  const metrics = await (await fetch(`${origin}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name} ([0-9.e+-]+)$`, 'm').exec(metrics)?.[1] ?? Number.NaN);
  const gcSeconds = [...metrics.matchAll(/^mirrorwatch_nodejs_gc_duration_seconds_sum\{[^}]*\} ([0-9.e+-]+)$/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
  return {
    maxMs: read('mirrorwatch_nodejs_eventloop_lag_max_seconds') * 1000,
    p99Ms: read('mirrorwatch_nodejs_eventloop_lag_p99_seconds') * 1000,
    gcSeconds,
  };
}

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-bench-'));
const lab = await startLab();
try {
  const catalogPath = join(scratch, 'catalog.yaml');
  await lab.writeCatalog(catalogPath);
  const served: Array<{ probeIntervalSeconds: number; figures: WrkFigures; lag: { maxMs: number; p99Ms: number; gcMs: number } }> = [];
  let body = '';
  for (const probeIntervalSeconds of probeIntervals) {
    // One client at wire speed would be throttled at the default export limit: the limiter stays on (its cost is
    // part of the figure) with a limit this load cannot reach.
    const product = await startProduct({
      catalogPath,
      lab,
      probeIntervalSeconds,
      env: { RATE_LIMIT_EXPORTS_PER_MINUTE: '10000000', LOG_LEVEL: 'warn' },
    });
    try {
      const endpoint = `${product.origin}/api/recommended-daemon.json`;
      for (let i = 0; i < 100 && !body.includes('http'); i++) {
        body = await (await fetch(endpoint)).text();
        if (!body.includes('http')) await new Promise((resolve) => setTimeout(resolve, 500));
      }
      if (!body.includes('http')) throw new Error('the product never recommended a mirror');
      await wrk(endpoint, { ...load, seconds: Math.min(5, load.seconds) });
      const before = await loopLag(product.origin);
      const figures = await wrk(endpoint, load);
      const after = await loopLag(product.origin);
      served.push({
        probeIntervalSeconds,
        figures,
        lag: { maxMs: after.maxMs, p99Ms: after.p99Ms, gcMs: (after.gcSeconds - before.gcSeconds) * 1000 },
      });
    } finally {
      await product.stop();
    }
  }
  const file = join(scratch, 'daemon.json');
  writeFileSync(file, body);
  const nginx = await startNginx(file, 'application/json; charset=utf-8', scratch);
  const nginxFigures = await measure(nginx.url).finally(() => nginx.stop());
  const staticServer = await startStaticServer(file);
  const staticFigures = await measure(staticServer.url).finally(() => staticServer.stop());

  // The machine is shared: its load average belongs with the figures.
  const machine = `${cpus().length} vCPU (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}; load average at end ${loadavg()
    .map((v) => v.toFixed(2))
    .join(' ')}`;
  const row = (name: string, f: WrkFigures, lag?: { maxMs: number; p99Ms: number; gcMs: number }) =>
    `| ${name} | ${f.requestsPerSec.toFixed(0)} | ${f.p50Ms.toFixed(2)} | ${f.p99Ms.toFixed(2)} | ${f.non2xx3xx} | ${f.socketErrors} | ${(f.requestsPerSec / nginxFigures.requestsPerSec).toFixed(2)} | ${lag ? `${lag.maxMs.toFixed(0)} / ${lag.p99Ms.toFixed(0)} / ${lag.gcMs.toFixed(0)}` : '-'} |`;
  const report = [
    '# Benchmark: `GET /api/recommended-daemon.json`',
    '',
    `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:recommended\` (bench/recommended-daemon/run.ts):`,
    `wrk, 1 thread, ${load.connections} connections, ${load.seconds} s per target, each after a 5 s warm-up.`,
    'The product runs as `npm start` does (apps/api/dist/main.js, SQLite, the lab catalog of 6 real mirrors and fault servers,',
    "probing live at the interval shown; the export tier's limiter on at RATE_LIMIT_EXPORTS_PER_MINUTE=10000000). The references serve",
    'the same body from a file: nginx with one worker (nginx-light, access log off) and a node:http process.',
    'Load generator, product and references share the machine.',
    '',
    `Machine: ${machine}.`,
    '',
    '| target | requests/s | p50 ms | p99 ms | non-2xx/3xx | socket errors | × nginx | event loop: worst block / p99 delay / GC ms in the run |',
    '|---|---:|---:|---:|---:|---:|---:|---|',
    ...served.map(({ probeIntervalSeconds, figures, lag }) =>
      row(`${values.label}, probing every ${probeIntervalSeconds} s`, figures, lag),
    ),
    row('nginx, 1 worker, same bytes', nginxFigures),
    row('static file (node:http + readFile)', staticFigures),
    '',
  ].join('\n');
  writeFileSync(values.out, report);
  process.stdout.write(`${report}\n`);
} finally {
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
