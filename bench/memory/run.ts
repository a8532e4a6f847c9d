/**
 * Where the product's resident memory goes, and what glibc's arena cap
 * (MALLOC_ARENA_MAX=2, set by `npm start` and the Dockerfile) saves (issue 10).
 * Two products probe the same lab mirrors at the same interval, at the same
 * time: one with the environment `npm start` gives (the reference is the same
 * product without the cap), the other without it. Printed per product: RSS
 * mean / min / max sampled every second, anonymous vs file-backed pages
 * (/proc/PID/smaps_rollup), the API thread's V8 heap (from /metrics) and
 * process CPU over the window (so a saving that costs CPU shows).
 * Usage: npm run bench:memory [-- --mirrors 50 --interval 20 --warmup 40 --seconds 150 --web false]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProducts, type RunningProduct } from '@mirrorwatch/lab';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { cpuMs, residentMiB } from '../probe-cpu/process-figures.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '40' },
    seconds: { type: 'string', default: '150' },
    web: { type: 'string', default: 'false' },
  },
});

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
  // glibc's default: 8 arenas per core at most; a large value restores it for the reference.
  products = [
    ...(await startProducts([
      { ...common, serveWeb: values.web === 'true', env: env('capped', {}) },
      { ...common, serveWeb: values.web === 'true', env: env('uncapped', { MALLOC_ARENA_MAX: '64' }) },
    ])),
  ];
  const sampled: Sampled[] = products.map((product, index) => ({
    label: index === 0 ? 'npm start (MALLOC_ARENA_MAX=2)' : 'reference: glibc default arenas',
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
