/**
 * Why light probes start in waves (issue 10, apps/api/src/probing/probe-waves.ts):
 * the probe engine's CPU per probe at the same average rate, one probe at a
 * time (the reference: how cycles were spread before) against waves of N,
 * each run in a fresh process of its own against the lab's real docker-registry
 * pull-through mirror, alternating so both see the same machine; plus what an
 * idle Node.js process pays per timer wake-up on this machine.
 * Usage: npm run bench:probe-waves [-- --probes 500 --per-second 25 --wave 4 --rounds 3]
 * Needs `npm run build` and Debian's docker-registry.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startLab } from '@mirrorwatch/lab';

const { values } = parseArgs({
  options: {
    probes: { type: 'string', default: '500' },
    'per-second': { type: 'string', default: '25' },
    wave: { type: 'string', default: '4' },
    rounds: { type: 'string', default: '3' },
  },
});
const child = new URL('./waves-child.mjs', import.meta.url).pathname;
const idleWakeUp = `const t=process.cpuUsage();let n=0;const tick=()=>{if(++n<250)setTimeout(tick,40);else{const u=process.cpuUsage(t);console.log(JSON.stringify({cpuMsPerWakeUp:(u.user+u.system)/1000/250}))}};setTimeout(tick,40)`;

/**
 * Plain node resolves @mirrorwatch/probe to its built dist, as the product's engine thread does. Not
 * execFileSync: the lab's upstream runs in this process, and a pull-through registry may ask its upstream
 * about a tag while it serves the manifest; a blocked event loop would leave that waiting.
 */
async function runChild(args: string[]): Promise<Record<string, number>> {
  const { stdout } = await promisify(execFile)(process.execPath, args, { encoding: 'utf8' });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as Record<string, number>;
}

const lab = await startLab();
try {
  const url = lab.mirror('healthy').url;
  console.log(`# Probe waves, ${new Date().toISOString().slice(0, 16)} UTC`);
  console.log(`${cpus().length} vCPU ${cpus()[0]?.model ?? ''}, Node ${process.version}; load average ${loadavg()[0]?.toFixed(2)}`);
  console.log(`${values.probes} light probes of the lab's docker-registry per run, ${values['per-second']} per second on average\n`);
  console.log(
    '| round | one at a time: CPU ms per probe (system) | waves of ' +
      values.wave +
      ': CPU ms per probe (system) | ratio | idle process: CPU ms per timer wake-up |',
  );
  console.log('|---:|---:|---:|---:|---:|');
  for (let round = 1; round <= Number(values.rounds); round += 1) {
    const common = [child, url, values.probes, values['per-second']];
    const single = await runChild([...common, '1']);
    const waves = await runChild([...common, values.wave]);
    const idle = await runChild(['-e', idleWakeUp]);
    if ((single['failed'] ?? 0) + (waves['failed'] ?? 0) > 0)
      throw new Error('some probes failed: the figures would not compare like with like');
    const figure = (run: Record<string, number>) => `${run['cpuMsPerProbe']?.toFixed(2)} (${run['systemMsPerProbe']?.toFixed(2)})`;
    const ratio = (waves['cpuMsPerProbe'] ?? 0) / (single['cpuMsPerProbe'] ?? 1);
    console.log(`| ${round} | ${figure(single)} | ${figure(waves)} | ${ratio.toFixed(2)} | ${idle['cpuMsPerWakeUp']?.toFixed(3)} |`);
  }
} finally {
  await lab.stop();
}
