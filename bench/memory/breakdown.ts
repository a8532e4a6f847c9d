/**
 * Where the product's resident memory goes, per thread and per kind (issue 10):
 * the product probes the lab's mirrors (50 at 20 s, as bench:probe-cpu) with
 * the dashboard served, as `npm start` runs it; after the warm-up, node's
 * diagnostic report (SIGUSR2, --report-on-signal) gives every isolate's V8
 * heap (the API thread's and each worker thread's: committed, used, by space,
 * plus the external memory it accounts for, which includes WebAssembly
 * memories), and /proc/PID/smaps the resident pages by kind (smaps-kinds.ts).
 * Usage: npm run bench:memory:breakdown [-- --mirrors 50 --interval 20 --warmup 150 --web true --label ...
 *   --node-flags=... --env NAME=value,... --entry PATH]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { cpuMs, residentMiB } from '../probe-cpu/process-figures.js';
import { assignments } from './env-assignments.js';
import { residentByKind } from './smaps-kinds.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    warmup: { type: 'string', default: '150' },
    web: { type: 'string', default: 'true' },
    label: { type: 'string', default: 'mirrorwatch' },
    'keep-smaps': { type: 'string', default: '' },
    /** Node/V8 flags after `npm start`'s own (a variant to measure before it goes into the start script). */
    'node-flags': { type: 'string', default: '' },
    /** Extra environment for the product, NAME=value,NAME=value (a malloc setting to measure). */
    env: { type: 'string', default: '' },
    /** Another build's main.js (a baseline copy); this worktree's apps/api/dist/main.js by default. */
    entry: { type: 'string', default: '' },
    /** Open the dashboard's two main pages once after start, as a visitor does. */
    visit: { type: 'string', default: 'true' },
  },
});

interface HeapSpace {
  memorySize: number;
  committedMemory: number;
  used: number;
}
interface ReportPart {
  header: { threadId: number };
  javascriptHeap: {
    totalCommittedMemory: number;
    usedMemory: number;
    externalMemory: number;
    mallocedMemory: number;
    heapSpaces: Record<string, HeapSpace>;
  };
  libuv: { type: string; localEndpoint?: { port: number } | null; remoteEndpoint?: unknown }[];
  workers?: ReportPart[];
}

const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

/** The API's isolates; the dashboard runs in a child process of its own (next-process.ts), not in this report. */
function threadName(part: ReportPart, isMain: boolean): string {
  return isMain ? 'API thread (main)' : `worker thread ${part.header.threadId} (probe engine or rollup)`;
}

function heapRow(name: string, part: ReportPart): string {
  const heap = part.javascriptHeap;
  const space = (key: string) => mib(heap.heapSpaces[key]?.committedMemory ?? 0);
  return `| ${name} | ${mib(heap.totalCommittedMemory)} | ${mib(heap.usedMemory)} | ${space('new_space')} | ${space('old_space')} | ${space('code_space')} | ${mib((heap.heapSpaces['large_object_space']?.committedMemory ?? 0) + (heap.heapSpaces['code_large_object_space']?.committedMemory ?? 0))} | ${mib(heap.externalMemory)} | ${mib(heap.mallocedMemory)} |`;
}

async function diagnosticReport(pid: number, dir: string): Promise<ReportPart> {
  process.kill(pid, 'SIGUSR2');
  for (let waited = 0; waited < 30_000; waited += 200) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const file = readdirSync(dir).find((name) => name.startsWith('report.') && name.endsWith('.json'));
    if (!file) continue;
    try {
      return JSON.parse(readFileSync(join(dir, file), 'utf8')) as ReportPart;
    } catch {
      // Still being written.
    }
  }
  throw new Error('no diagnostic report within 30 s');
}

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-breakdown-'));
const reports = join(scratch, 'reports');
mkdirSync(reports);
const lab = await startLab();
let product: RunningProduct | null = null;
let forwarded: Awaited<ReturnType<typeof forwardedCatalog>> | null = null;
try {
  forwarded = await forwardedCatalog(lab, Number(values.mirrors), 'mem', scratch);
  product = await startProduct({
    catalogPath: forwarded.catalogPath,
    probeIntervalSeconds: Number(values.interval),
    serveWeb: values.web === 'true',
    ...(values.entry ? { entry: values.entry } : {}),
    nodeArgs: [
      ...values['node-flags'].split(/\s+/).filter(Boolean),
      '--report-on-signal',
      '--report-signal=SIGUSR2',
      `--report-directory=${reports}`,
      '--report-compact',
    ],
    env: {
      DATABASE_URL: `file:${join(scratch, 'mirrorwatch.db')}`,
      LOG_LEVEL: 'info',
      PROBE_BUDGET_PER_HOUR: '100000',
      ...assignments(values.env),
    },
  });
  const pid = product.pid as number;
  if (values.web === 'true' && values.visit === 'true')
    for (const page of ['/', '/status']) await fetch(product.origin + page).then((response) => response.text());
  let rssMax = 0;
  for (let second = 0; second < Number(values.warmup); second++) {
    await new Promise((resolve) => setTimeout(resolve, 1000));
    rssMax = Math.max(rssMax, residentMiB(pid));
  }
  const rss = residentMiB(pid);
  const cpu = cpuMs(pid);
  const kinds = residentByKind(pid);
  // The raw mappings, for a closer look at what residentByKind groups.
  if (values['keep-smaps']) writeFileSync(values['keep-smaps'], readFileSync(`/proc/${pid}/smaps`));
  const report = await diagnosticReport(pid, reports);

  console.log(`# Memory breakdown (${values.label}), ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${cpus().length} vCPU, ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}; load average at end ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}`,
  );
  console.log(
    `${values.mirrors} mirrors every ${values.interval} s, dashboard ${values.web === 'true' ? 'served' : 'off'}, read after ${values.warmup} s: RSS ${rss.toFixed(1)} MiB (max so far ${rssMax.toFixed(1)}), process CPU since start ${cpu.toFixed(0)} ms${values['node-flags'] ? `, extra node flags: ${values['node-flags']}` : ''}${values.env ? `, extra env: ${values.env}` : ''}${values.web === 'true' && values.visit === 'true' ? ', pages / and /status opened once' : ''}\n`,
  );
  console.log('| isolate | heap committed MiB | used | new space | old space | code space | large objects | external | malloced by V8 |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  console.log(heapRow(threadName(report, true), report));
  for (const worker of report.workers ?? []) console.log(heapRow(threadName(worker, false), worker));
  console.log('\n| resident, by kind (smaps) | MiB |');
  console.log('|---|---:|');
  for (const [kind, value] of [...kinds].sort(([a], [b]) => a.localeCompare(b))) console.log(`| ${kind} | ${value.toFixed(1)} |`);
} finally {
  await product?.stop();
  await forwarded?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
