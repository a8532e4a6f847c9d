/**
 * What blocks the API thread while fleets fetch `recommended-daemon.json`:
 * the setup of bench:recommended (lab catalog, probing live) with the
 * product under `--cpu-prof` (optionally wrk on the export), then
 * the API thread's longest synchronous stretches and the functions inside
 * them (profile-blocks.ts). The p99 of the export is the longest of these.
 * Usage: npm run bench:recommended:blocking [-- --seconds 30 --interval 5 --min-ms 20 --connections 0]
 * Needs `npm run build`, wrk and Debian's docker-registry.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startLab, startProduct, type RunningProduct } from '@mirrorwatch/lab';
import { wrk } from '../lib/wrk.js';
import type { CpuProfile } from '../probe-cpu/profile-summary.js';
import { describeBlock, longBlocks } from './profile-blocks.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    interval: { type: 'string', default: '5' },
    // 0: no load. Blocks are found between idle samples, and a loop saturated by wrk never idles.
    connections: { type: 'string', default: '0' },
    'min-ms': { type: 'string', default: '20' },
    top: { type: 'string', default: '8' },
    target: { type: 'string', default: '/api/recommended-daemon.json' },
  },
});

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-blocking-'));
const profileDir = join(scratch, 'profiles');
const lab = await startLab();
let product: RunningProduct | null = null;
try {
  const catalogPath = join(scratch, 'catalog.yaml');
  await lab.writeCatalog(catalogPath);
  product = await startProduct({
    catalogPath,
    lab,
    probeIntervalSeconds: Number(values.interval),
    nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
    env: { RATE_LIMIT_EXPORTS_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
  });
  const endpoint = `${product.origin}${values.target}`;
  for (let i = 0; i < 100 && !(await (await fetch(endpoint)).text()).includes('http'); i++)
    await new Promise((resolve) => setTimeout(resolve, 500));
  const connections = Number(values.connections);
  const figures =
    connections > 0
      ? await wrk(endpoint, { connections, seconds: Number(values.seconds) })
      : await new Promise<null>((resolve) => setTimeout(() => resolve(null), Number(values.seconds) * 1000));
  const pid = product.pid;
  if (pid === null) throw new Error('the product has no pid');
  // --cpu-prof writes its files at exit: let the shutdown finish (stop() would kill before they are written).
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; waited < 60_000 && existsSync(`/proc/${pid}`); waited += 200)
    await new Promise((resolve) => setTimeout(resolve, 200));
  await product.stop();
  product = null;
  console.log(`# API thread blocks under wrk on ${values.target}, ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(
    `${cpus().length} vCPU, Node ${process.version}; load average ${loadavg()
      .map((v) => v.toFixed(2))
      .join(' ')}; probing every ${values.interval} s for ${values.seconds} s; ` +
      (figures
        ? `wrk -c${connections}: ${figures.requestsPerSec.toFixed(0)} req/s, p50 ${figures.p50Ms.toFixed(2)} ms, p99 ${figures.p99Ms.toFixed(2)} ms`
        : 'no load (a saturated loop never idles, so blocks could not be told apart)'),
  );
  // The API thread's profile is the largest: the engine thread idles between probes.
  const files = readdirSync(profileDir)
    .filter((name) => name.endsWith('.cpuprofile'))
    .map((name) => join(profileDir, name))
    .sort((a, b) => statSync(b).size - statSync(a).size);
  const main = files[0];
  if (main === undefined) throw new Error('no profile written');
  const blocks = longBlocks(JSON.parse(readFileSync(main, 'utf8')) as CpuProfile, Number(values['min-ms']), Number(values.top));
  console.log(`\n${blocks.length} blocks of ${values['min-ms']} ms or more on the API thread (longest first):\n`);
  for (const block of blocks) console.log(`${describeBlock(block)}\n`);
} finally {
  await product?.stop();
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
