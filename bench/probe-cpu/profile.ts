/**
 * Where the product's steady-state CPU and memory go (issue 10): the setup of
 * bench:probe-cpu (N lab mirrors every S seconds), with the product run under
 * `--cpu-prof` (every thread: the API thread and the probe engine thread) and
 * its /proc/PID/smaps_rollup read at the end. Prints self time grouped by
 * where the code comes from (Prisma's WASM query compiler, the generated
 * client, the driver adapter, Nest, pino, undici, GC, ...), the heaviest
 * functions, and the inclusive time of our own hot functions.
 * `--skip-seconds S` leaves the first S seconds (start-up) out of the tables: the steady state.
 * Usage: npm run bench:probe-cpu:profile [-- --mirrors 50 --interval 20 --seconds 90 --skip-seconds 40 --out DIR]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { forwardedCatalog } from '../lib/forwarded-catalog.js';
import { cpuMs, residentMiB } from './process-figures.js';
import { summarizeProfile } from './profile-summary.js';

const { values } = parseArgs({
  options: {
    mirrors: { type: 'string', default: '50' },
    interval: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '90' },
    out: { type: 'string', default: '' },
    top: { type: 'string', default: '25' },
    'skip-seconds': { type: 'string', default: '0' },
  },
});
const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-profile-'));
const profileDir = values.out || join(scratch, 'profiles');
const lab = await startLab();
let product: RunningProduct | null = null;
let forwarded: Awaited<ReturnType<typeof forwardedCatalog>> | null = null;
try {
  forwarded = await forwardedCatalog(lab, Number(values.mirrors), 'cpu', scratch);
  product = await startProduct({
    catalogPath: forwarded.catalogPath,
    probeIntervalSeconds: Number(values.interval),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    env: { DATABASE_URL: `file:${join(scratch, 'mirrorwatch.db')}`, LOG_LEVEL: 'info', PROBE_BUDGET_PER_HOUR: '100000' },
  });
  const pid = product.pid;
  if (pid === null) throw new Error('the product has no pid');
  const cpuBefore = cpuMs(pid);
  await new Promise((resolve) => setTimeout(resolve, Number(values.seconds) * 1000));
  const smaps = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const cpu = cpuMs(pid) - cpuBefore;
  const rss = residentMiB(pid);
  // --cpu-prof writes its files at exit: give the shutdown time (stop() kills after 3 s, before they are written).
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 60_000 && existsSync(`/proc/${pid}`); waited += 200)
    await new Promise((resolve) => setTimeout(resolve, 200));
  const windowsLine = product
    .output()
    .split('\n')
    .find((line) => line.includes('probe windows loaded'));
  await product.stop();
  product = null;
  console.log(`# Product profile, ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${cpus().length} vCPU, Node ${process.version}; load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}; ${values.mirrors} mirrors every ${values.interval} s, ${values.seconds} s after start`,
  );
  console.log(`process CPU after start ${cpu.toFixed(0)} ms, RSS ${rss.toFixed(0)} MiB`);
  // Whether the ranking read the leader's in-memory windows (ProbeWindowsService) or the database.
  console.log(`probe windows: ${windowsLine ? 'loaded' : 'never loaded (the ranking read the database)'}`);
  console.log('\n## smaps_rollup\n');
  console.log(
    smaps
      .split('\n')
      .filter((line) => /^(Rss|Pss_Anon|Pss_File|Anonymous|Private_Dirty)/.test(line))
      .join('\n'),
  );
  console.log(
    status
      .split('\n')
      .filter((line) => /^(VmRSS|RssAnon|RssFile|Threads)/.test(line))
      .join('\n'),
  );
  for (const file of readdirSync(profileDir).filter((name) => name.endsWith('.cpuprofile'))) {
    console.log(`\n## ${file}\n`);
    console.log(
      summarizeProfile(JSON.parse(readFileSync(join(profileDir, file), 'utf8')), Number(values.top), Number(values['skip-seconds']) * 1000),
    );
  }
} finally {
  await product?.stop();
  await forwarded?.stop();
  await lab.stop();
  if (!values.out) rmSync(scratch, { recursive: true, force: true });
}
