/**
 * Start-up time: how soon the built product answers after `node
 * apps/api/dist/main.js`, as a supervisor restarting it sees (issues 9, 16).
 * Each run spawns the product, polls `/api/health/live`, `/api/mirrors` (a
 * 200 listing every catalog mirror) and `/` every 20 ms, notes the CPU it used
 * by the first real `/api/mirrors`, then stops it with SIGTERM. Scenarios:
 *
 * - fresh: no database file yet (the first start ever: migrations run);
 * - empty: a migrated database without history (a restart of a new install);
 * - seeded: a copy of a database seeded by bench/history/seed.ts
 *   (--mirrors x --days of one-minute probes, rollups missing), fresh per run.
 *
 * Beside it, measured in the same run: a bare node:http server's time to its
 * first answer, and a `node -e` that only imports Nest, Prisma and Next.js.
 *
 *   nice -n -15 npm run bench:startup -- [--runs 5] [--mirrors 20 --days 10] [--web true]
 *     [--scenarios fresh,empty,seeded] [--compare other/apps/api/dist/main.js]
 *
 * `--compare` starts another build too, alternating with this one run by run,
 * so before/after figures share the machine's load. Needs `npm run build`.
 */
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { getPriority, loadavg, tmpdir, cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { getFreePort } from '@mirrorwatch/lab';
import { applyMigrations } from '../../apps/api/src/infrastructure/persistence/migrations.js';
import { percentile } from '../history/measure.js';
import { bareServerFirstAnswerMs, libraryImportMs } from './references.js';
import { startOnce, type StartFigures } from './start-once.js';

const WORKSPACE_ROOT = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    mirrors: { type: 'string', default: '20' },
    days: { type: 'string', default: '10' },
    web: { type: 'string', default: 'true' },
    scenarios: { type: 'string', default: 'fresh,empty,seeded' },
    entry: { type: 'string', default: path.join(WORKSPACE_ROOT, 'apps/api/dist/main.js') },
    compare: { type: 'string' },
    'seed-dir': { type: 'string', default: path.join(tmpdir(), 'mirrorwatch-startup-seed') },
  },
});
const runs = Number(values.runs);
const web = values.web === 'true';
const scenarios = values.scenarios.split(',') as Scenario[];
type Scenario = 'fresh' | 'empty' | 'seeded';
for (const scenario of scenarios) if (!['fresh', 'empty', 'seeded'].includes(scenario)) throw new Error(`unknown scenario ${scenario}`);
const entries = [values.entry, ...(values.compare ? [values.compare] : [])];
for (const entry of entries) if (!existsSync(entry)) throw new Error(`${entry} is missing: run "npm run build" first`);

/** Seeds once per --mirrors/--days and reuses the result (seed.ts takes minutes on a busy machine). */
function seededDatabase(): { file: string; catalog: string; probeRows: number } {
  const dir = path.join(values['seed-dir'], `${values.mirrors}x${values.days}`);
  const reportFile = path.join(dir, 'seed-report.json');
  if (!existsSync(reportFile)) {
    mkdirSync(dir, { recursive: true });
    const tsx = path.join(WORKSPACE_ROOT, 'node_modules/.bin/tsx');
    const args = [
      '--conditions=@mirrorwatch/source',
      'bench/history/seed.ts',
      '--mirrors',
      values.mirrors,
      '--days',
      values.days,
      '--out',
      dir,
    ];
    process.stderr.write(`seeding ${dir} ...\n`);
    const seeded = spawnSync(tsx, args, { cwd: WORKSPACE_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
    if (seeded.status !== 0) throw new Error(`seeding failed (${seeded.status})`);
  }
  const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { probeRows: number };
  return { file: path.join(dir, 'mirrorwatch.db'), catalog: path.join(dir, 'catalog.yaml'), probeRows: report.probeRows };
}

const seed = seededDatabase();
const scratch = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-startup-'));
const emptyTemplate = path.join(scratch, 'empty-template.db');
await applyMigrations(`file:${emptyTemplate}`);

/** The database file a run starts on, in its own folder. */
function databaseFor(scenario: Scenario, runDir: string): string {
  const file = path.join(runDir, 'mirrorwatch.db');
  if (scenario === 'empty') copyFileSync(emptyTemplate, file);
  if (scenario === 'seeded') copyFileSync(seed.file, file);
  return file;
}

const loadBefore = loadavg();
const results = new Map<string, StartFigures[]>();
const bare: number[] = [];
const imports: number[] = [];
for (let run = 1; run <= runs; run += 1) {
  bare.push(await bareServerFirstAnswerMs(await getFreePort()));
  imports.push(await libraryImportMs(WORKSPACE_ROOT));
  for (const scenario of scenarios) {
    for (const entry of entries) {
      const runDir = await mkdtemp(path.join(scratch, `${scenario}-`));
      const figures = await startOnce({
        entry,
        cwd: WORKSPACE_ROOT,
        port: await getFreePort(),
        web,
        expectedMirrors: Number(values.mirrors),
        env: {
          DATABASE_URL: `file:${databaseFor(scenario, runDir)}`,
          MIRRORWATCH_CATALOG: seed.catalog,
          NEXT_TELEMETRY_DISABLED: '1',
        },
      });
      await rm(runDir, { recursive: true, force: true });
      const key = `${scenario}\t${entry}`;
      results.set(key, [...(results.get(key) ?? []), figures]);
      process.stderr.write(
        `run ${run} ${scenario} ${path.relative(WORKSPACE_ROOT, entry)}: ${JSON.stringify(figures, (_, v: unknown) => (typeof v === 'number' ? Math.round(v) : v))}\n`,
      );
    }
  }
}
await rm(scratch, { recursive: true, force: true });

const fmt = (values: number[]) =>
  `${Math.round(percentile(values, 50))} (${Math.round(Math.min(...values))}-${Math.round(Math.max(...values))})`;
const lines = [
  `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, node ${process.version}, nice ${getPriority()}, load average ${loadBefore.map((v) => v.toFixed(1)).join(' ')} before, ${loadavg()
    .map((v) => v.toFixed(1))
    .join(' ')} after`,
  `runs: ${runs} per row, dashboard ${web ? 'on' : 'off'}, catalog ${values.mirrors} mirrors, seeded: ${seed.probeRows} probe rows (${values.days} days, rollups missing)`,
  '',
  '| scenario | build | /api/health/live ms | /api/mirrors ms | `/` page ms | CPU ms by live | CPU ms by /api/mirrors | shutdown ms |',
  '|---|---|---|---|---|---|---|---|',
];
for (const [key, figures] of results) {
  const [scenario, entry] = key.split('\t') as [string, string];
  const pages = figures.map((f) => f.pageMs).filter((v): v is number => v !== null);
  lines.push(
    `| ${scenario} | ${path.relative(WORKSPACE_ROOT, entry)} | ${fmt(figures.map((f) => f.liveMs))} | ${fmt(figures.map((f) => f.mirrorsMs))} | ${pages.length ? fmt(pages) : '-'} | ${fmt(figures.map((f) => f.cpuMsAtLive))} | ${fmt(figures.map((f) => f.cpuMsAtMirrors))} | ${fmt(figures.map((f) => f.shutdownMs))} |`,
  );
}
lines.push(`| reference | bare node:http server, first answer | ${fmt(bare)} | | | | | |`);
lines.push(`| reference | node -e importing Nest, Prisma client + adapter, Next.js (spawn to exit) | ${fmt(imports)} | | | | | |`);
lines.push('', 'Figures: median (min-max) milliseconds from spawn.');
process.stdout.write(`${lines.join('\n')}\n`);
