/**
 * The product's resident memory over time, by kind (issue 10): the setup of
 * bench:probe-cpu (N lab mirrors every S seconds, the dashboard's pages
 * opened once when it is served), then every `--every` seconds one line with
 * the RSS of the process tree and the process's own pages by kind from
 * /proc/PID/smaps (smaps-kinds.ts: V8's heap pages, its code pages, glibc's
 * arenas, other anonymous mappings, the node binary, WebAssembly memories)
 * and the thread count. Where a single figure (bench:memory's mean and max)
 * cannot tell a steady level from a saw-tooth of collections, this can.
 * Usage: npm run bench:memory:series [-- --mirrors 50 --interval 20 --seconds 600 --every 10 --web true
 *   --node-flags=...]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { cpuMs, residentMiB } from '../probe-cpu/process-figures.js';
import { residentByKind } from './smaps-kinds.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '600' },
    every: { type: 'string', default: '10' },
    web: { type: 'string', default: 'true' },
    /** Node/V8 flags after `npm start`'s own. */
    'node-flags': { type: 'string', default: '' },
  },
});

const COLUMNS: [string, string][] = [
  ['V8 heap pages', 'anon: V8 heap pages (256 KiB)'],
  ['V8 code', 'anon: V8 code pages (executable)'],
  ['glibc arenas', 'anon: glibc thread arenas'],
  ['glibc brk', 'anon: glibc main arena (brk)'],
  ['other anon', 'anon: other (V8 large objects, large malloc blocks, thread stacks)'],
  ['WebAssembly', 'anon: WebAssembly memories (Prisma query compilers)'],
  ['node binary', 'file: the node binary'],
];

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-memory-series-'));
const lab = await startLab();
let product: RunningProduct | null = null;
let forwarded: Awaited<ReturnType<typeof forwardedCatalog>> | null = null;
try {
  forwarded = await forwardedCatalog(lab, Number(values.mirrors), 'series', scratch);
  product = await startProduct({
    catalogPath: forwarded.catalogPath,
    probeIntervalSeconds: Number(values.interval),
    serveWeb: values.web === 'true',
    nodeArgs: values['node-flags'].split(/\s+/).filter(Boolean),
    env: { DATABASE_URL: `file:${join(scratch, 'mirrorwatch.db')}`, LOG_LEVEL: 'info', PROBE_BUDGET_PER_HOUR: '100000' },
  });
  const pid = product.pid;
  if (pid === null) throw new Error('the product has no pid');
  if (values.web === 'true') for (const page of ['/', '/status']) await fetch(product.origin + page).then((response) => response.text());
  console.log(
    `# Resident memory over time, ${values.mirrors} mirrors every ${values.interval} s, dashboard ${values.web === 'true' ? 'served, opened once' : 'off'} (MiB)\n`,
  );
  console.log(`| s | RSS (tree) | ${COLUMNS.map(([name]) => name).join(' | ')} | threads | CPU ms |`);
  console.log(`|---:|---:|${COLUMNS.map(() => '---:').join('|')}|---:|---:|`);
  const startedAt = Date.now();
  while (Date.now() - startedAt < Number(values.seconds) * 1000) {
    await new Promise((resolve) => setTimeout(resolve, Number(values.every) * 1000));
    const kinds = residentByKind(pid);
    const cells = COLUMNS.map(([, kind]) => (kinds.get(kind) ?? 0).toFixed(1));
    const seconds = ((Date.now() - startedAt) / 1000).toFixed(0);
    console.log(
      `| ${seconds} | ${residentMiB(pid).toFixed(1)} | ${cells.join(' | ')} | ${readdirSync(`/proc/${pid}/task`).length} | ${cpuMs(pid)} |`,
    );
  }
} finally {
  await product?.stop();
  await forwarded?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
