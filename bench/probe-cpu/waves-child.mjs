// The probing side of bench/probe-cpu/waves.ts, in a process of its own so that only the probe engine's CPU
// is counted: probes `count` times at `perSecond` on average, `wave` probes at a time, and prints its CPU.
import { probeMirror } from '@mirrorwatch/probe';

const [url, count, perSecond, wave] = [process.argv[2], ...process.argv.slice(3, 6).map(Number)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const run = async (probes) => {
  const pending = [];
  for (let i = 0; i < probes; i += wave) {
    for (let j = i; j < Math.min(probes, i + wave); j += 1) pending.push(probeMirror({ url }, { kind: 'light' }));
    await sleep((1000 / perSecond) * wave);
  }
  return Promise.all(pending);
};
await run(Math.min(200, count)); // warm-up: the JIT, the registry's cache
const before = process.cpuUsage();
const results = await run(count);
const used = process.cpuUsage(before);
const failed = results.filter((result) => !result.ok).length;
console.log(
  JSON.stringify({ cpuMsPerProbe: (used.user + used.system) / 1000 / count, systemMsPerProbe: used.system / 1000 / count, failed }),
);
