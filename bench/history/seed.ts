/**
 * Seeds a month of history, as an install holds after 30 days in production:
 * N catalog mirrors probed once a minute (light) and every 30 minutes (deep),
 * their states and incidents, and optionally the rollups the hourly job
 * would have written. `--rollups none` is issue 16's scenario (rollups
 * missing, backfilled by the product at start); `--rollups full` an install
 * whose rollup job kept up.
 *
 *   npm run bench:history:seed -- --database sqlite --out /tmp/mw-month
 *   npm run bench:history:seed -- --database postgresql --url postgresql://postgres@127.0.0.1:5432/mw --out /tmp/mw-month-pg
 *
 * Writes `catalog.yaml` (and `mirrorwatch.db` for SQLite) into --out and
 * prints the row counts, the time taken and the database size per probe row.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
// The bench reuses the product's own migration runner and rollup arithmetic, so the seeded rollups are exactly what the job writes.
import { applyMigrations } from '../../apps/api/src/infrastructure/persistence/migrations.js';
import { aggregateProbes, type RollupBucket, encodeFailureCounts } from '@mirrorwatch/scoring';
import { catalogYaml, PROBE_COLUMNS, prng, seedMirrors, seedProbe, type SeedMirror, type SeedProbe } from './seed-profile.js';
import {
  dropPostgresDatabase,
  openPostgresWriter,
  openSqliteWriter,
  probeValues,
  ROLLUP_COLUMNS,
  type SeedWriter,
  type SqlValue,
} from './seed-writers.js';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const DEEP_EVERY_MINUTES = 30;

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'sqlite' },
    url: { type: 'string' },
    out: { type: 'string', default: '/tmp/mirrorwatch-month' },
    mirrors: { type: 'string', default: '100' },
    days: { type: 'string', default: '30' },
    rollups: { type: 'string', default: 'none' },
  },
});
if (values.database !== 'sqlite' && values.database !== 'postgresql') throw new Error('--database must be sqlite or postgresql');
if (values.rollups !== 'none' && values.rollups !== 'full') throw new Error('--rollups must be none or full');
if (values.database === 'postgresql' && !values.url) throw new Error('--url is required with --database postgresql');
const mirrorCount = Number(values.mirrors);
const days = Number(values.days);

mkdirSync(values.out, { recursive: true });
const sqliteFile = path.join(values.out, 'mirrorwatch.db');
if (values.database === 'sqlite') for (const suffix of ['', '-wal', '-shm']) rmSync(sqliteFile + suffix, { force: true });
const databaseUrl = values.database === 'sqlite' ? `file:${sqliteFile}` : (values.url as string);
const mirrors = seedMirrors(mirrorCount);
writeFileSync(path.join(values.out, 'catalog.yaml'), catalogYaml(mirrors));

const startedAt = Date.now();
if (values.database === 'postgresql') await dropPostgresDatabase(databaseUrl);
await applyMigrations(databaseUrl);
const writer: SeedWriter = values.database === 'sqlite' ? openSqliteWriter(sqliteFile) : await openPostgresWriter(databaseUrl);

// The month ends at the seed's own minute: the product started right after finds it current.
const end = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
const start = end - days * DAY_MS;
const now = new Date(end);

await writer.insert(
  'Mirror',
  ['id', 'url', 'name', 'provider', 'visibility', 'enabled', 'source', 'createdAt', 'updatedAt'],
  mirrors.map((m) => [m.id, m.url, m.name, `seeded ${m.profile}`, 'public', true, 'catalog', new Date(start), new Date(start)]),
);

const rollupRow = (bucket: RollupBucket): SqlValue[] => {
  const { failures, ...columns } = bucket;
  const row: Record<string, SqlValue> = { ...columns, failureCounts: encodeFailureCounts(failures) };
  return ROLLUP_COLUMNS.map((column) => row[column] ?? null);
};

let probeRows = 0;
let rollupRows = 0;
const BATCH_DAYS = 1;
for (const mirror of mirrors) {
  const random = prng(mirror.index + 1);
  for (let dayStart = start; dayStart < end; dayStart += BATCH_DAYS * DAY_MS) {
    const batch: SeedProbe[] = [];
    const dayEnd = Math.min(end, dayStart + BATCH_DAYS * DAY_MS);
    for (let at = dayStart; at < dayEnd; at += MINUTE_MS) {
      batch.push(seedProbe(mirror, 'light', new Date(at), random));
      if ((at / MINUTE_MS) % DEEP_EVERY_MINUTES === 7) batch.push(seedProbe(mirror, 'deep', new Date(at + 20_000), random));
    }
    await writer.insert('Probe', PROBE_COLUMNS, batch.map(probeValues));
    probeRows += batch.length;
    if (values.rollups === 'full') {
      const buckets = [...aggregateProbes('hour', batch), ...aggregateProbes('day', batch)];
      await writer.insert('ProbeRollup', ROLLUP_COLUMNS, buckets.map(rollupRow));
      rollupRows += buckets.length;
    }
  }
  await seedStateAndIncidents(writer, mirror);
  if (mirror.index % 10 === 9)
    process.stderr.write(
      `seeded ${mirror.index + 1}/${mirrors.length} mirrors, ${probeRows} probes, ${Math.round((Date.now() - startedAt) / 1000)} s\n`,
    );
}

/** The hysteresis state and incidents the scheduler would have left: dead mirrors down all month, flaky ones with a short outage a day. */
async function seedStateAndIncidents(target: SeedWriter, mirror: SeedMirror): Promise<void> {
  const dead = mirror.profile === 'dead';
  await target.insert(
    'MirrorState',
    [
      'mirrorId',
      'status',
      'consecutiveFailures',
      'consecutiveSuccesses',
      'since',
      'lastFailureClass',
      'lastProbeAt',
      'lastDigest',
      'lastDigestChangeAt',
      'updatedAt',
    ],
    [
      [
        mirror.id,
        dead ? 'down' : 'up',
        dead ? days * 1440 : 0,
        dead ? 0 : 5,
        new Date(start),
        dead ? 'connect_refused' : mirror.profile === 'flaky' ? 'timeout' : null,
        new Date(end - MINUTE_MS),
        dead ? null : `sha256:${'4b'.repeat(32)}`,
        dead ? null : new Date(start),
        now,
      ],
    ],
  );
  const incidents: SqlValue[][] = [];
  if (dead) incidents.push([mirror.id, new Date(start + 120_000), null, 'connect_refused', `connect ECONNREFUSED ${mirror.url.slice(7)}`]);
  if (mirror.profile === 'flaky') {
    for (let day = start; day < end - DAY_MS; day += DAY_MS) {
      const opened = day + ((mirror.index * 37) % 1380) * MINUTE_MS;
      incidents.push([mirror.id, new Date(opened), new Date(opened + 4 * MINUTE_MS), 'timeout', 'manifest: no response within 10000 ms']);
    }
  }
  await target.insert('Incident', ['mirrorId', 'startedAt', 'endedAt', 'failureClass', 'detail'], incidents);
}

const sizeBytes = await writer.sizeBytes();
await writer.close();
const seconds = (Date.now() - startedAt) / 1000;
const report = {
  database: values.database,
  url: values.database === 'sqlite' ? sqliteFile : databaseUrl,
  catalog: path.join(values.out, 'catalog.yaml'),
  mirrors: mirrorCount,
  days,
  monthEnd: now.toISOString(),
  probeRows,
  rollupMode: values.rollups,
  rollupRows,
  seconds: Math.round(seconds * 10) / 10,
  probeRowsPerSecond: Math.round(probeRows / seconds),
  databaseBytes: sizeBytes,
  bytesPerProbeRow: Math.round(sizeBytes / probeRows),
};
writeFileSync(path.join(values.out, 'seed-report.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
