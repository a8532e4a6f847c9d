/**
 * How long `GET /api/images/{repository}:{tag}` takes to answer from cold (no
 * cache) over the lab's mirrors, dead and hanging ones included, beside what an
 * operator does by hand today: `skopeo inspect --raw` through each mirror in
 * turn, with the same 5 s deadline per mirror.
 * Usage: npm run bench:images [-- --runs 3]
 * Needs `npm run build` (the product runs from apps/api/dist like `npm start`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ImageLookupDto } from '@mirrorwatch/api-types';
import { runSkopeo, startLab, startProduct, type Lab } from '@mirrorwatch/lab';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    out: { type: 'string', default: 'docs/benchmarks/image-lookup.md' },
  },
});
const runs = Number(values.runs);
const PER_MIRROR_DEADLINE_MS = 5_000;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

async function byHand(lab: Lab, image: string): Promise<{ ms: number; served: number }> {
  const started = performance.now();
  let served = 0;
  for (const mirror of lab.mirrors) {
    const tls = mirror.url.startsWith('https:') ? [] : ['--tls-verify=false'];
    const result = await runSkopeo(['inspect', '--raw', ...tls, `docker://${mirror.host}/${image}`], {
      timeoutMs: PER_MIRROR_DEADLINE_MS + 1_000,
    });
    if (result.code === 0) served += 1;
  }
  return { ms: performance.now() - started, served };
}

const scratch = mkdtempSync(join(tmpdir(), 'mirrorwatch-bench-images-'));
const lab = await startLab({ extras: ['allowlist', 'partial', 'slow'] });
try {
  const catalogPath = join(scratch, 'catalog.yaml');
  await lab.writeCatalog(catalogPath);
  const product = await startProduct({
    catalogPath,
    lab,
    probeIntervalSeconds: 60,
    // Every run asks the mirrors again (no cache), and the budget never skips one.
    env: { IMAGE_LOOKUP_CACHE_SECONDS: '0', PROBE_BUDGET_PER_HOUR: '100000', RATE_LIMIT_PER_MINUTE: '0', LOG_LEVEL: 'warn' },
  });
  try {
    const images = [`${lab.alpine.repository}:latest`, `${lab.secondTarget.repository}:latest`, 'mirrorwatch/never-pushed:latest'];
    const rows: string[] = [];
    for (const image of images) {
      const ours: number[] = [];
      const theirs: number[] = [];
      let servedOurs = 0;
      let servedTheirs = 0;
      for (let run = 0; run < runs; run++) {
        const started = performance.now();
        const answer = (await (await fetch(`${product.origin}/api/images/${image}`)).json()) as ImageLookupDto;
        ours.push(performance.now() - started);
        servedOurs = answer.mirrors.filter((m) => m.served).length;
        const manual = await byHand(lab, image);
        theirs.push(manual.ms);
        servedTheirs = manual.served;
      }
      rows.push(
        `| \`${image}\` | ${(median(ours) / 1000).toFixed(2)} s | ${servedOurs} | ${(median(theirs) / 1000).toFixed(2)} s | ${servedTheirs} |`,
      );
    }
    const machine = `${cpus().length} vCPU (nproc), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}, ${process.platform}/${process.arch}`;
    const report = [
      '# Benchmark: "which mirror has my image?" (`GET /api/images/{repository}:{tag}`)',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:images\` (bench/image-lookup/run.ts), median of ${runs} runs per image.`,
      `The lab's ${lab.mirrors.length} mirrors (${lab.mirrors.map((m) => m.variant).join(', ')}: real docker-registry caches and fault`,
      'servers on loopback, one of them hanging and one refusing connections). mirrorwatch asks them six at a time with a 5 s deadline',
      'each, cache off; the reference is the by-hand way, `skopeo inspect --raw` through each mirror in turn with the same 5 s',
      'deadline (`--command-timeout`), run in the same process right after. Both count the mirrors that served the manifest.',
      'Load generator, product, lab and skopeo share the machine (which other builds may share too): compare within a row.',
      '',
      `Machine: ${machine}.`,
      '',
      '| image | mirrorwatch, cold | mirrors serving it | skopeo inspect, mirror by mirror | mirrors serving it |',
      '|---|---:|---:|---:|---:|',
      ...rows,
      '',
      'The hanging mirror bounds both: mirrorwatch waits for it once, in parallel with the others; by hand it is one more',
      'wait in a row, after the refused, rate-limited and 503 mirrors have each cost a skopeo start and its retries.',
      '',
    ].join('\n');
    writeFileSync(values.out, report);
    process.stdout.write(`${report}\n`);
  } finally {
    await product.stop();
  }
} finally {
  await lab.stop();
  rmSync(scratch, { recursive: true, force: true });
}
