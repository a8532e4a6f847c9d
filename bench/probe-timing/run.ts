/**
 * Compares the probe engine's phase timings and blob throughput with curl's
 * -w figures on the same requests against a local mirror-like server.
 * Usage: npm run bench:probe-timing [-- --runs 30 --blob-runs 5]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { probeMirror } from '@mirrorwatch/probe';
import { createTestPki } from '../../libs/probe/src/testing/test-pki.js';
import { spawnBenchServer, type BenchServerHandle as BenchServer } from './spawn-server.js';
import { curlTiming } from './curl-timing.js';
import { median, medianPairedAbsoluteError } from './stats.js';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '30' },
    'blob-runs': { type: 'string', default: '5' },
    'delay-ms': { type: 'string', default: '300' },
    'blob-rate': { type: 'string', default: String(2 * 1024 * 1024) },
  },
});
const runs = Number(values.runs);
const blobRuns = Number(values['blob-runs']);
const pingDelayMs = Number(values['delay-ms']);
const blobBytesPerSec = Number(values['blob-rate']);

type Phase = 'dnsMs' | 'connectMs' | 'tlsMs' | 'ttfbMs';
const PHASES: Phase[] = ['dnsMs', 'connectMs', 'tlsMs', 'ttfbMs'];

async function measurePhases(bench: BenchServer, caPem: string | null, caFile: string | null) {
  const engine: Record<Phase, number[]> = { dnsMs: [], connectMs: [], tlsMs: [], ttfbMs: [] };
  const curl: Record<Phase, number[]> = { dnsMs: [], connectMs: [], tlsMs: [], ttfbMs: [] };
  // Warm-up, not recorded: JIT and lazy module loading are one-time costs of a long-running prober.
  await probeMirror({ url: bench.url, caPem });
  for (let i = 0; i < runs; i++) {
    // Interleaved so both tools see the same machine conditions.
    const result = await probeMirror({ url: bench.url, caPem });
    if (!result.ok) throw new Error(`engine probe failed: ${result.failureClass} ${result.detail}`);
    engine.dnsMs.push(result.timings.dnsMs ?? Number.NaN);
    engine.connectMs.push(result.timings.connectMs ?? Number.NaN);
    engine.tlsMs.push(result.timings.tlsMs ?? Number.NaN);
    engine.ttfbMs.push(result.timings.pingTtfbMs ?? Number.NaN);
    const reference = await curlTiming(`${bench.url}/v2/`, caFile);
    for (const phase of PHASES) curl[phase].push(reference[phase] ?? Number.NaN);
  }
  return PHASES.filter((phase) => !engine[phase].every(Number.isNaN)).map((phase) => ({
    phase,
    engineMedian: median(engine[phase]),
    curlMedian: median(curl[phase]),
    medianAbsError: medianPairedAbsoluteError(engine[phase], curl[phase]),
  }));
}

async function measureThroughput(bench: BenchServer, caPem: string | null, caFile: string | null) {
  const engine: number[] = [];
  const curl: number[] = [];
  for (let i = 0; i < blobRuns; i++) {
    const result = await probeMirror({ url: bench.url, caPem }, { kind: 'deep' });
    if (!result.ok || !result.blob?.verified) throw new Error(`engine deep probe failed: ${result.failureClass} ${result.detail}`);
    engine.push(result.blob.throughputBytesPerSec ?? Number.NaN);
    const reference = await curlTiming(bench.layerUrl, caFile);
    curl.push(reference.transferBytesPerSec ?? Number.NaN);
  }
  const engineMedian = median(engine);
  const curlMedian = median(curl);
  return { engineMedian, curlMedian, relativeError: Math.abs(engineMedian - curlMedian) / curlMedian };
}

const fmt = (value: number, digits = 3) => (Number.isNaN(value) ? 'n/a' : value.toFixed(digits));
const dir = mkdtempSync(join(tmpdir(), 'probe-timing-'));
const startedAt = Date.now();
// The machine's load belongs with the figures: on a shared VM, medians move between runs.
const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(' ');
try {
  const pki = createTestPki();
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, pki.caPem);
  console.log(`# probe timing vs curl: ${runs} runs per protocol, /v2/ delay ${pingDelayMs} ms, blob ${blobBytesPerSec} B/s`);
  console.log(
    `${new Date(startedAt).toISOString()}; node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'}); load average at start ${load()}\n`,
  );
  console.log('| protocol | phase | engine median ms | curl median ms | median abs error ms |');
  console.log('|---|---|---|---|---|');
  const throughput: string[] = [];
  for (const protocol of ['http', 'https'] as const) {
    const tls = protocol === 'https' ? { key: pki.serverKey, cert: pki.serverCert } : undefined;
    const bench = await spawnBenchServer({ pingDelayMs, blobBytesPerSec, dir, ...(tls ? { tls } : {}) });
    try {
      const caPem = tls ? pki.caPem : null;
      const ca = tls ? caFile : null;
      for (const row of await measurePhases(bench, caPem, ca)) {
        console.log(`| ${protocol} | ${row.phase} | ${fmt(row.engineMedian)} | ${fmt(row.curlMedian)} | ${fmt(row.medianAbsError)} |`);
      }
      const blob = await measureThroughput(bench, caPem, ca);
      throughput.push(
        `| ${protocol} | ${fmt(blob.engineMedian / 1024, 1)} | ${fmt(blob.curlMedian / 1024, 1)} | ${fmt(blob.relativeError * 100, 2)} % |`,
      );
    } finally {
      await bench.stop();
    }
  }
  console.log(`\n| protocol | engine blob KiB/s | curl blob KiB/s | relative difference |`);
  console.log('|---|---|---|---|');
  for (const line of throughput) console.log(line);
  console.log(`\nwall time ${((Date.now() - startedAt) / 1000).toFixed(0)} s; load average at end ${load()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
