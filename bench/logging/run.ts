/**
 * What the logging glue costs per request: the product as built now (nestjs-pino:
 * LoggerModule, pino-http as Nest middleware, a per-request logging context)
 * against a baseline build of an earlier commit (the hand-written LoggerService
 * adapter and pino-http mounted with app.use), under the same load in the same
 * run, alternating A B A B so drift on a shared machine hits both alike.
 *
 * Usage: npm run bench:logging [-- --baseline-ref <commit> --seconds 10 --rounds 2 --path /api/health/live]
 * Needs `npm run build`. The baseline is extracted with `git archive` into
 * tmp/logging-baseline (gitignored, same depth as apps/api, so its relative
 * imports of prisma/generated and libs/* resolve) and built with `tsc -b`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startLab, startProduct } from '@mirrorwatch/lab';

/** The last commit with the hand-written glue (PinoNestLogger + requestLogging). */
const HAND_WRITTEN_GLUE = '075fa64';

const { values } = parseArgs({
  options: {
    'baseline-ref': { type: 'string', default: HAND_WRITTEN_GLUE },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '2' },
    paths: { type: 'string', default: '/api/health/live,/api/recommended-daemon.json' },
    // info is the default LOG_LEVEL; debug writes one line per request (what an operator turns on to trace).
    levels: { type: 'string', default: 'info,debug' },
    out: { type: 'string', default: 'docs/benchmarks/logging.md' },
    // Start-up includes SQLite migrations, which take minutes on a busy 2-core machine.
    'start-timeout-seconds': { type: 'string', default: '300' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const rounds = Number(values.rounds);
const paths = values.paths.split(',');
const levels = values.levels.split(',');
const root = process.cwd();
const baselineDir = join(root, 'tmp', 'logging-baseline');

function buildBaseline(ref: string): string {
  rmSync(baselineDir, { recursive: true, force: true });
  mkdirSync(baselineDir, { recursive: true });
  const archive = execFileSync('git', ['archive', ref, 'apps/api/src', 'apps/api/package.json', 'apps/api/tsconfig.json'], {
    maxBuffer: 64 << 20,
  });
  execFileSync('tar', ['-x', '--strip-components=2', '-C', baselineDir], { input: archive });
  try {
    // The baseline compiles against today's libs/*: a ref whose app no longer fits them fails here.
    execFileSync(join(root, 'node_modules', '.bin', 'tsc'), ['-b', baselineDir], { stdio: 'inherit' });
  } catch (error) {
    rmSync(baselineDir, { recursive: true, force: true });
    throw error;
  }
  return join(baselineDir, 'dist', 'main.js');
}

interface Sample {
  requestsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
}

async function load(url: string): Promise<Sample> {
  const result = await autocannon({ url, connections, duration: seconds, pipelining: 1 });
  return {
    requestsPerSec: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

const variants = [
  { name: 'nestjs-pino (this build)', entry: undefined as string | undefined },
  { name: `hand-written glue (${values['baseline-ref']})`, entry: buildBaseline(values['baseline-ref']) },
];
const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-bench-logging-'));
const lab = await startLab();
const samples = new Map<string, Sample[]>();
try {
  const catalogPath = join(scratch, 'catalog.yaml');
  await lab.writeCatalog(catalogPath);
  for (let round = 0; round < rounds; round++) {
    for (const level of levels) {
      for (const variant of variants) {
        // Probing every 60 s (the default), no rate limit: the load measures the request path, not 429s.
        const product = await startProduct({
          catalogPath,
          lab,
          probeIntervalSeconds: 60,
          entry: variant.entry,
          startTimeoutMs: Number(values['start-timeout-seconds']) * 1000,
          env: { RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: level },
        });
        try {
          for (const path of paths) {
            await load(`${product.origin}${path}`); // warm-up (JIT), not reported
            const key = `${variant.name}|${level}|${path}`;
            samples.set(key, [...(samples.get(key) ?? []), await load(`${product.origin}${path}`)]);
          }
        } finally {
          await product.stop();
        }
      }
    }
  }
} finally {
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
  // A second @mirrorwatch/api package in the tree would confuse Nx and vitest: gone once measured.
  rmSync(baselineDir, { recursive: true, force: true });
}

const mean = (list: number[]) => list.reduce((sum, value) => sum + value, 0) / list.length;
const rows: string[] = [];
for (const level of levels) {
  for (const path of paths) {
    const reference = mean((samples.get(`${variants[1]!.name}|${level}|${path}`) ?? []).map((s) => s.requestsPerSec));
    for (const variant of variants) {
      const list = samples.get(`${variant.name}|${level}|${path}`) ?? [];
      const rps = mean(list.map((s) => s.requestsPerSec));
      const bad = list.reduce((sum, s) => sum + s.non2xx + s.errors, 0);
      rows.push(
        `| \`${path}\` | ${level} | ${variant.name} | ${list.map((s) => s.requestsPerSec.toFixed(0)).join(' / ')} | ${rps.toFixed(0)} | ${mean(list.map((s) => s.p50Ms)).toFixed(1)} | ${mean(list.map((s) => s.p99Ms)).toFixed(1)} | ${bad} | ${((rps / reference) * 100).toFixed(0)} % |`,
      );
    }
  }
}
const machine = `${cpus().length} vCPU (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}`;
const report = [
  '# Benchmark: the logging glue (nestjs-pino vs the hand-written adapter)',
  '',
  `Measured ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC with \`npm run bench:logging\` (bench/logging/run.ts):`,
  `autocannon, ${connections} connections, ${seconds} s per sample after a ${seconds} s warm-up, ${rounds} rounds alternating the two builds.`,
  'Both run as `npm start` does (main.js, SQLite, the lab catalog of real mirrors on loopback, probing every 60 s,',
  'RATE_LIMIT_PER_MINUTE=0). At `info` a successful request writes no line; at `debug` it writes one (to a pipe the bench drains).',
  '',
  `Machine: ${machine}; shared with other jobs while measured, so compare within a row pair, not across days.`,
  '',
  '| path | LOG_LEVEL | build | requests/s per round | mean req/s | p50 ms | p99 ms | non-2xx + errors | of hand-written |',
  '|---|---|---|---|---:|---:|---:|---:|---:|',
  ...rows,
  '',
].join('\n');
writeFileSync(values.out, report);
process.stdout.write(`${report}\n`);
