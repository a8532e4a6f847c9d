/**
 * Soak: the product probes a lab of hostile mirrors (every lab variant: dead,
 * hanging, 503, rate-limited, slow, stale, corrupt and stalled blobs, CDN
 * redirects, allowlist, TLS) every 5 s while autocannon hits the API, for a
 * configurable time (default 1 h). Reports the product's resident memory at
 * start (after a warm-up), at its highest and at the end, and the probe
 * cycles completed against those skipped by the overlap guard.
 *
 * Usage: npm run bench:soak [-- --minutes 60 --connections 8 --out docs/security/soak.md]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { startLab, startProduct } from '@mirrorwatch/lab';
import { residentMiB } from '../../tools/fuzz-rest/run-fuzz.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    connections: { type: 'string', default: '8' },
    'warmup-seconds': { type: 'string', default: '30' },
    out: { type: 'string', default: '' },
  },
});
const minutes = Number(values.minutes);
const WORKSPACE_ROOT = path.resolve(import.meta.dirname, '../..');
const PROBE_INTERVAL_SECONDS = 5;
const LOADED_PATHS = [
  '/api/mirrors',
  '/api/recommended-daemon.json',
  '/api/status',
  '/api/sparklines',
  '/api/incidents',
  '/api/export/containerd-hosts-toml',
  '/metrics',
];

/** V8's used heap (prom-client's default gauge): tells a JavaScript leak from allocator growth when RSS rises. */
async function heapUsedMiB(origin: string): Promise<number | null> {
  const text = await (await fetch(`${origin}/metrics`)).text().catch(() => '');
  const bytes = Number(/^mirrorwatch_nodejs_heap_size_used_bytes (\S+)$/m.exec(text)?.[1] ?? Number.NaN);
  return Number.isFinite(bytes) ? Math.round((bytes / 1_048_576) * 10) / 10 : null;
}

/** Least-squares slope in MiB per hour over the samples from `fromMinute` on (the warm-up's growth left out). */
function slopePerHour(points: readonly { minute: number; value: number | null }[], fromMinute: number): number | null {
  const used = points.filter((p): p is { minute: number; value: number } => p.value !== null && p.minute >= fromMinute);
  if (used.length < 3) return null;
  const meanX = used.reduce((sum, p) => sum + p.minute, 0) / used.length;
  const meanY = used.reduce((sum, p) => sum + p.value, 0) / used.length;
  const num = used.reduce((sum, p) => sum + (p.minute - meanX) * (p.value - meanY), 0);
  const den = used.reduce((sum, p) => sum + (p.minute - meanX) ** 2, 0);
  return den === 0 ? null : Math.round((num / den) * 60 * 10) / 10;
}

async function schedulerFigures(origin: string): Promise<{ completed: number; skipped: number }> {
  const text = await (await fetch(`${origin}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`${name}\\{kind="light"\\} (\\d+)`).exec(text)?.[1] ?? Number.NaN);
  return { completed: read('mirrorwatch_scheduler_cycles_completed'), skipped: read('mirrorwatch_scheduler_cycles_skipped') };
}

const scratch = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-soak-'));
const lab = await startLab({ extras: 'all' });
try {
  const catalogPath = path.join(scratch, 'catalog.yaml');
  await lab.writeCatalog(catalogPath);
  const product = await startProduct({
    catalogPath,
    lab,
    probeIntervalSeconds: PROBE_INTERVAL_SECONDS,
    env: { LOG_LEVEL: 'warn', RATE_LIMIT_PER_MINUTE: '0', RATE_LIMIT_EXPORTS_PER_MINUTE: '0', PROBE_BUDGET_PER_HOUR: '100000' },
  });
  try {
    await new Promise((resolve) => setTimeout(resolve, Number(values['warmup-seconds']) * 1000));
    const startRss = residentMiB(product.pid);
    const startCycles = await schedulerFigures(product.origin);
    let maxRss = startRss ?? 0;
    const samples: { minute: number; rssMiB: number | null; heapMiB: number | null }[] = [];
    const startedAt = Date.now();
    const sampler = setInterval(() => {
      const rss = residentMiB(product.pid);
      maxRss = Math.max(maxRss, rss ?? 0);
      const minute = Math.round((Date.now() - startedAt) / 6000) / 10;
      void heapUsedMiB(product.origin).then((heapMiB) => samples.push({ minute, rssMiB: rss, heapMiB }));
    }, 15_000);
    const load = await autocannon({
      url: product.origin,
      connections: Number(values.connections),
      duration: minutes * 60,
      requests: LOADED_PATHS.map((p) => ({ method: 'GET' as const, path: p })),
    });
    clearInterval(sampler);
    const endRss = residentMiB(product.pid);
    const endCycles = await schedulerFigures(product.origin);
    const expectedCycles = Math.floor((minutes * 60) / PROBE_INTERVAL_SECONDS);
    samples.sort((a, b) => a.minute - b.minute);
    const half = minutes / 2;
    const rssSlope = slopePerHour(
      samples.map((s) => ({ minute: s.minute, value: s.rssMiB })),
      half,
    );
    const heapSlope = slopePerHour(
      samples.map((s) => ({ minute: s.minute, value: s.heapMiB })),
      half,
    );
    const report = [
      '# Soak: hostile lab at a 5 s probe interval under API load',
      '',
      `Produced by \`npm run bench:soak -- --minutes ${minutes} --connections ${values.connections}\` (bench/soak/run.ts) on ${new Date().toISOString().slice(0, 10)}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}.`,
      `The lab: ${lab.mirrors.length} mirrors, every variant (${lab.mirrors.map((m) => m.variant).join(', ')}); autocannon with ${values.connections} connections cycling through ${LOADED_PATHS.join(', ')}.`,
      '',
      '| figure | value |',
      '|---|---|',
      `| duration under load | ${minutes} min (after ${values['warmup-seconds']} s of warm-up) |`,
      `| product RSS: start / max / end | ${startRss} / ${maxRss} / ${endRss} MiB |`,
      `| light probe cycles completed / skipped by the overlap guard / due in that time | ${endCycles.completed - startCycles.completed} / ${endCycles.skipped - startCycles.skipped} / ${expectedCycles} |`,
      `| API requests | ${load.requests.total} (${Math.round(load.requests.average)}/s), non-2xx ${load.non2xx}, errors ${load.errors}, timeouts ${load.timeouts} |`,
      `| API latency p50 / p99 | ${load.latency.p50} / ${load.latency.p99} ms |`,
      `| RSS slope over the second half (least squares) | ${rssSlope ?? '-'} MiB/h |`,
      `| V8 heap used: first / last sample, slope over the second half | ${samples[0]?.heapMiB ?? '-'} / ${samples[samples.length - 1]?.heapMiB ?? '-'} MiB, ${heapSlope ?? '-'} MiB/h |`,
      '',
      'RSS / heap used over time (MiB): ' + samples.map((s) => `${s.minute} min: ${s.rssMiB} / ${s.heapMiB ?? '-'}`).join(', '),
      '',
    ].join('\n');
    console.log(report);
    if (values.out) await writeFile(path.resolve(WORKSPACE_ROOT, values.out), report);
  } finally {
    await product.stop();
  }
} finally {
  await lab.stop();
  await rm(scratch, { recursive: true, force: true });
}
