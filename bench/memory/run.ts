/**
 * What a memory setting or change saves (issue 10), A/B in one run: two
 * products probe the same lab mirrors at the same interval, at the same time,
 * each with `npm start`'s environment and node flags plus its own extras
 * (and, for a code change, its own build: --ref-entry names a copy of a
 * baseline's apps/api/dist/main.js). By default the reference is the same
 * build without glibc's arena cap (MALLOC_ARENA_MAX=64, glibc's default
 * behaviour on this machine). Printed per product: RSS (of the process and
 * any child it starts) mean / min / max sampled every second, anonymous vs
 * file-backed pages (/proc/PID/smaps_rollup), the API thread's V8 heap (from
 * /metrics) and process CPU over the window (so a saving that costs CPU shows).
 * Usage: npm run bench:memory [-- --mirrors 50 --interval 20 --warmup 40 --seconds 150 --web false
 *   --label L --flags "--node-flag" --env NAME=value,NAME=value --entry PATH
 *   --ref-label L --ref-flags ... --ref-env ... --ref-entry PATH]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProducts, type RunningProduct } from '@mirrorwatch/lab';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { cpuMs, residentMiB } from '../probe-cpu/process-figures.js';
import { assignments } from './env-assignments.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '150' },
    web: { type: 'string', default: 'false' },
    label: { type: 'string', default: 'npm start' },
    /** Node flags after `npm start`'s own (V8 takes the last of a repeated flag). */
    flags: { type: 'string', default: '' },
    /** Environment beyond `npm start`'s, NAME=value,NAME=value. */
    env: { type: 'string', default: '' },
    /** Another build's main.js; this worktree's apps/api/dist/main.js by default. */
    entry: { type: 'string', default: '' },
    'ref-label': { type: 'string', default: 'reference: glibc default arenas' },
    'ref-flags': { type: 'string', default: '' },
    'ref-env': { type: 'string', default: 'MALLOC_ARENA_MAX=64' },
    'ref-entry': { type: 'string', default: '' },
  },
});

const words = (text: string) => text.split(/\s+/).filter(Boolean);
interface Sampled {
  label: string;
  product: RunningProduct;
  rss: number[];
  cpuBefore: number;
}

function smapsKiB(pid: number, field: string): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return match ? Number(match[1]) : Number.NaN;
}

async function heapUsedMiB(product: RunningProduct): Promise<number> {
  const metrics = await fetch(`${product.origin}/metrics`).then((response) => response.text());
  const match = /^mirrorwatch_nodejs_heap_size_used_bytes (\d+)/m.exec(metrics);
  return match ? Number(match[1]) / 2 ** 20 : Number.NaN;
}

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-memory-'));
const lab = await startLab();
let products: RunningProduct[] = [];
let forwarded: Awaited<ReturnType<typeof forwardedCatalog>> | null = null;
try {
  forwarded = await forwardedCatalog(lab, Number(values.mirrors), 'mem', scratch);
  const common = { catalogPath: forwarded.catalogPath, probeIntervalSeconds: Number(values.interval) };
  const env = (name: string, extra: Record<string, string>) => ({
    DATABASE_URL: `file:${join(scratch, `${name}.db`)}`,
    LOG_LEVEL: 'info',
    PROBE_BUDGET_PER_HOUR: '100000',
    ...extra,
  });
  const variant = (name: string, flags: string, extraEnv: string, entry: string) => ({
    ...common,
    serveWeb: values.web === 'true',
    nodeArgs: words(flags),
    env: env(name, assignments(extraEnv)),
    ...(entry ? { entry } : {}),
  });
  products = [
    ...(await startProducts([
      variant('ours', values.flags, values.env, values.entry),
      variant('reference', values['ref-flags'], values['ref-env'], values['ref-entry']),
    ])),
  ];
  const describe = (label: string, flags: string, extraEnv: string) => [label, flags, extraEnv].filter(Boolean).join(' ');
  const sampled: Sampled[] = products.map((product, index) => ({
    label:
      index === 0
        ? describe(values.label, values.flags, values.env)
        : describe(values['ref-label'], values['ref-flags'], values['ref-env']),
    product,
    rss: [],
    cpuBefore: 0,
  }));
  if (values.web === 'true')
    for (const { product } of sampled) for (const page of ['/', '/status']) await fetch(product.origin + page).then((r) => r.text());
  await new Promise((resolve) => setTimeout(resolve, Number(values.warmup) * 1000));
  for (const entry of sampled) entry.cpuBefore = cpuMs(entry.product.pid as number);
  const until = Date.now() + Number(values.seconds) * 1000;
  while (Date.now() < until) {
    for (const entry of sampled) entry.rss.push(residentMiB(entry.product.pid as number));
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  console.log(`# Resident memory, ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average at end ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${values.mirrors} mirrors every ${values.interval} s, dashboard ${values.web === 'true' ? 'served' : 'off'}, both products side by side, ${values.warmup} s warm-up, ${values.seconds} s sampled\n`,
  );
  console.log(
    '| product | RSS mean MiB | min | max | anonymous MiB (end) | file-backed MiB (end) | V8 heap used MiB (end) | CPU ms over the window |',
  );
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const entry of sampled) {
    const pid = entry.product.pid as number;
    const mean = entry.rss.reduce((sum, value) => sum + value, 0) / entry.rss.length;
    const anonymous = smapsKiB(pid, 'Anonymous') / 1024;
    const file = smapsKiB(pid, 'Rss') / 1024 - anonymous;
    console.log(
      `| ${entry.label} | ${mean.toFixed(1)} | ${Math.min(...entry.rss).toFixed(1)} | ${Math.max(...entry.rss).toFixed(1)} | ${anonymous.toFixed(1)} | ${file.toFixed(1)} | ${(await heapUsedMiB(entry.product)).toFixed(1)} | ${(cpuMs(pid) - entry.cpuBefore).toFixed(0)} |`,
    );
  }
} finally {
  await Promise.all(products.map((product) => product.stop()));
  await forwarded?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
