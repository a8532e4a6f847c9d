/**
 * Crash safety: SIGKILLs the product at random moments while it probes a lab
 * (mirrors that flap between up and down every few seconds, so incidents open
 * and close all the time) and while its start-up rollup re-reads a day of
 * seeded probe rows; after every kill it checks the database: SQLite's
 * `PRAGMA integrity_check`, that every probe row committed before the kill is
 * still there, and that each mirror's state and its open incidents agree. It
 * also times how soon each restart is live and stores its first new probe.
 *
 * Usage: npm run bench:crash-safety [-- --sqlite-kills 50 --postgres-kills 20 --seed 7 --providers sqlite,postgresql --out docs/security/crash-safety.md]
 * Needs `npm run build`, Debian's docker-registry, and PostgreSQL binaries for the PostgreSQL part.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { stringify } from 'yaml';
import { getFreePort, productEnvForLab, startLab } from '@mirrorwatch/lab';
import {
  findPostgresBinaries,
  startPostgresTestServer,
} from '../../apps/api/src/infrastructure/persistence/testing/postgres-test-server.js';
import { postgresInspector, sqliteInspector, type DatabaseInspector } from './database-inspector.js';
import { startFlappingMirrors } from './flapping-mirror.js';
import { pollUntil, spawnProduct, type ProductProcess } from './product-process.js';
import { renderReport, type ProviderFigures, type KillRecord } from './report.js';

const { values } = parseArgs({
  options: {
    'sqlite-kills': { type: 'string', default: '50' },
    'postgres-kills': { type: 'string', default: '20' },
    'seed-rows': { type: 'string', default: '40000' },
    // Run the two databases as two processes side by side: --providers sqlite / --providers postgresql.
    providers: { type: 'string', default: 'sqlite,postgresql' },
    seed: { type: 'string', default: String(Date.now() % 100_000) },
    out: { type: 'string', default: 'docs/security/crash-safety.md' },
  },
});
const WORKSPACE_ROOT = path.resolve(import.meta.dirname, '../..');
const FLAP_PERIOD_MS = 6_000;

/** A small deterministic generator (mulberry32), so a run can be repeated with --seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rng = random(Number(values.seed));
const between = (min: number, max: number) => Math.round(min + rng() * (max - min));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function isLive(origin: string): Promise<boolean> {
  return (await fetch(`${origin}/api/health/live`, { signal: AbortSignal.timeout(1000) })).ok;
}

async function boot(env: Record<string, string>): Promise<ProductProcess> {
  return spawnProduct(WORKSPACE_ROOT, await getFreePort(), env);
}

/** Boots once without killing, until a main-image probe succeeded, then seeds rollup work and stops cleanly. */
async function prepare(env: Record<string, string>, inspector: () => Promise<DatabaseInspector>, seedRows: number): Promise<number> {
  const product = await boot(env);
  if (!(await pollUntil(() => isLive(product.origin), 90_000, 200))) throw new Error(`product did not start:\n${product.output()}`);
  const db = await inspector();
  try {
    let seeded = 0;
    const ok = await pollUntil(
      async () => {
        const dayStart = new Date(new Date().toISOString().slice(0, 10));
        // Today's earlier hours: every start-up rollup re-reads the whole current day.
        const to = new Date(Math.max(dayStart.getTime() + 60_000, Date.now() - 3_600_000));
        seeded = await db.seedProbes(seedRows, dayStart, to);
        return true;
      },
      60_000,
      1000,
    );
    if (!ok) throw new Error('no successful probe to copy for seeding');
    return seeded;
  } finally {
    await db.close();
    product.child.kill('SIGTERM');
    await pollUntil(async () => product.exited(), 30_000);
  }
}

async function killLoop(label: string, kills: number, env: Record<string, string>, db: DatabaseInspector): Promise<KillRecord[]> {
  const records: KillRecord[] = [];
  for (let i = 1; i <= kills; i++) {
    const before = await db.committedProbes();
    const product = await boot(env);
    const early = rng() < 0.3;
    let liveMs: number | null = null;
    let firstProbeMs: number | null = null;
    const live = pollUntil(
      async () => {
        if (!(await isLive(product.origin))) return false;
        liveMs ??= Date.now() - product.startedAt;
        return true;
      },
      120_000,
      50,
      product.exited,
    );
    const probed = pollUntil(
      async () => {
        if ((await db.committedProbes()).maxId <= before.maxId) return false;
        firstProbeMs ??= Date.now() - product.startedAt;
        return true;
      },
      120_000,
      500,
      product.exited,
    );
    if (early) {
      // During start-up: migrations check, catalog sync, leadership, and the rollup over the seeded day.
      await sleep(between(300, 20_000));
    } else {
      // Probing starts as soon as the process is live (first cycle at once, then every 5 s).
      await live;
      await sleep(between(0, 8_000));
    }
    const output = product.output();
    const phase = liveMs === null ? 'starting' : output.includes('probe rollup finished') ? 'probing' : 'rollup';
    const snapshot = await db.committedProbes();
    await product.kill();
    await Promise.allSettled([live, probed]);
    const integrity = await db.integrity();
    const kept = await db.probesUpTo(snapshot.maxId);
    const mismatches = await db.incidentMismatches();
    const record: KillRecord = {
      iteration: i,
      phase,
      killedAfterMs: Date.now() - product.startedAt,
      liveMs,
      firstProbeMs,
      integrity,
      committed: snapshot.count,
      kept,
      mismatches,
    };
    records.push(record);
    const verdict = integrity === 'ok' && kept === snapshot.count && mismatches.length === 0 ? 'ok' : 'FAIL';
    console.log(
      `${label} kill ${i}/${kills}: ${phase}, live ${liveMs ?? '-'} ms, first probe ${firstProbeMs ?? '-'} ms, rows ${kept}/${snapshot.count}, ${integrity}, mismatches ${mismatches.length}: ${verdict}`,
    );
    if (verdict === 'FAIL' || (liveMs === null && !early)) console.log(mismatches.join('\n'), output.slice(-3000));
  }
  return records;
}

async function runProvider(
  label: 'SQLite' | 'PostgreSQL',
  kills: number,
  databaseUrl: string,
  baseEnv: Record<string, string>,
  inspector: () => Promise<DatabaseInspector>,
): Promise<ProviderFigures> {
  const env = { ...baseEnv, DATABASE_URL: databaseUrl };
  const seeded = await prepare(env, inspector, Number(values['seed-rows']));
  const db = await inspector();
  try {
    const records = await killLoop(label, kills, env, db);
    // After the last kill: one more start must be live and probing again.
    const final = await boot(env);
    const before = await db.committedProbes();
    const resumed = await pollUntil(async () => (await db.committedProbes()).maxId > before.maxId, 60_000, 100);
    const resumeMs = Date.now() - final.startedAt;
    await final.kill();
    return { label, records, seededRows: seeded, finalResumeMs: resumed ? resumeMs : null };
  } finally {
    await db.close();
  }
}

async function main(): Promise<void> {
  const scratch = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-crash-'));
  const lab = await startLab();
  const flapping = await startFlappingMirrors(lab.mirror('healthy').url, 6, FLAP_PERIOD_MS);
  const cleanups: (() => Promise<void>)[] = [
    () => lab.stop(),
    ...flapping.map((f) => () => f.stop()),
    () => rm(scratch, { recursive: true, force: true }),
  ];
  try {
    const catalogPath = path.join(scratch, 'catalog.yaml');
    const entries = [
      ...lab.mirrors.map((m) => ({ name: m.name, url: m.url, ...(m.caPath ? { ca: m.caPath } : {}) })),
      ...flapping.map((f) => ({ name: f.name, url: f.url })),
    ];
    await writeFile(catalogPath, stringify(entries));
    const baseEnv = {
      ...productEnvForLab(lab, catalogPath),
      PROBE_INTERVAL_SECONDS: '5',
      DEEP_PROBE_INTERVAL_SECONDS: '60',
      PROBE_CONCURRENCY: '4',
      FAILURES_TO_DOWN: '1',
      SUCCESSES_TO_UP: '1',
      PROBE_BUDGET_PER_HOUR: '100000',
      RATE_LIMIT_PER_MINUTE: '0',
      LOG_LEVEL: 'info',
    };
    const figures: ProviderFigures[] = [];
    const providers = values.providers.split(',');
    const sqliteFile = path.join(scratch, 'crash.db');
    if (providers.includes('sqlite')) {
      figures.push(
        await runProvider('SQLite', Number(values['sqlite-kills']), `file:${sqliteFile}`, baseEnv, async () => sqliteInspector(sqliteFile)),
      );
    }
    const postgresKills = Number(values['postgres-kills']);
    if (providers.includes('postgresql') && postgresKills > 0) {
      const binaries = findPostgresBinaries();
      if (!binaries)
        throw new Error('PostgreSQL binaries not found (initdb, pg_ctl): run with --postgres-kills 0 to skip, or install them');
      const server = await startPostgresTestServer(binaries);
      cleanups.unshift(() => server.stop());
      const url = server.url('mirrorwatch_crash');
      figures.push(await runProvider('PostgreSQL', postgresKills, url, baseEnv, () => postgresInspector(url)));
    }
    const report = renderReport(figures, {
      seed: Number(values.seed),
      cores: cpus().length,
      cpu: cpus()[0]?.model ?? 'unknown',
      flapPeriodMs: FLAP_PERIOD_MS,
      mirrors: entries.length,
    });
    await writeFile(path.resolve(WORKSPACE_ROOT, values.out), report);
    console.log(report);
    const failed = figures.some((f) => f.records.some((r) => r.integrity !== 'ok' || r.kept !== r.committed || r.mismatches.length > 0));
    process.exitCode = failed ? 1 : 0;
  } finally {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  }
}

await main();
