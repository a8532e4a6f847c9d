/**
 * Ingestion at scale: 100 simulated agents x 50 mirrors at a 60 s interval,
 * against the built product on PostgreSQL.
 *
 *   npm run build && npm run bench:ingestion [-- --agents 100 --mirrors 50 --seconds 60]
 *
 * Phase 1 (nominal): each agent sends its 50 results once per interval
 * (starts spread over the interval, as real agents drift apart), for one
 * interval: batch latency and the server's CPU at the load the issue names.
 * Phase 2 (capacity): every agent sends batches back to back for 20 s:
 * results stored per second, the headroom over the nominal 83/s.
 * Reference, same run, same database server: the same rows written by
 * multi-row INSERTs straight through `pg` (no HTTP, auth, validation or
 * state), the ceiling the endpoint's own work is measured against.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startProduct } from '@mirrorwatch/lab';
import type { AgentResultDto, IssuedAgentTokenDto } from '@mirrorwatch/api-types';
import {
  findPostgresBinaries,
  startPostgresTestServer,
} from '../../apps/api/src/infrastructure/persistence/testing/postgres-test-server.js';

const { values } = parseArgs({
  options: {
    agents: { type: 'string', default: '100' },
    mirrors: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '60' },
    capacitySeconds: { type: 'string', default: '20' },
  },
});
const AGENTS = Number(values.agents);
const MIRRORS = Number(values.mirrors);
const INTERVAL_S = Number(values.seconds);
const CAPACITY_S = Number(values.capacitySeconds);
const ADMIN_TOKEN = 'ingestion-bench-admin-token';

const binaries = findPostgresBinaries();
if (!binaries) throw new Error('initdb/pg_ctl not found: the ingestion benchmark runs against PostgreSQL');
const postgres = await startPostgresTestServer(binaries);
const workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-ingest-'));
const databaseUrl = postgres.url('mirrorwatch_ingest');
// Mirrors nobody serves (refused at once), probed locally only at start: the load here is ingestion.
const catalog = Array.from({ length: MIRRORS }, (_, i) => `- { name: m${i}, url: "http://127.0.0.1:${20_000 + i}" }`).join('\n');
await writeFile(path.join(workDir, 'catalog.yaml'), `${catalog}\n`);
const product = await startProduct({
  catalogPath: path.join(workDir, 'catalog.yaml'),
  probeIntervalSeconds: 86_400,
  env: { DATABASE_URL: databaseUrl, ADMIN_TOKEN, AGENT_REQUESTS_PER_MINUTE: '0', LOG_LEVEL: 'warn', DEEP_PROBE_INTERVAL_SECONDS: '604800' },
});

try {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  const mirrorIds = ((await (await fetch(`${product.origin}/api/mirrors`)).json()) as { id: string }[]).map((m) => m.id);
  const tokens: string[] = [];
  for (let i = 0; i < AGENTS; i++) {
    await fetch(`${product.origin}/api/admin/vantages`, { method: 'POST', headers, body: JSON.stringify({ id: `bench-${i}` }) });
    tokens.push(
      (
        (await (
          await fetch(`${product.origin}/api/admin/vantages/bench-${i}/tokens`, { method: 'POST', headers, body: '{}' })
        ).json()) as IssuedAgentTokenDto
      ).token,
    );
  }
  const batchOf = (): string => JSON.stringify({ sentAt: new Date().toISOString(), results: mirrorIds.map(resultFor) });
  const send = async (token: string): Promise<{ ms: number; ok: boolean }> => {
    const started = performance.now();
    const response = await fetch(`${product.origin}/api/agent/results`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: batchOf(),
    });
    await response.arrayBuffer();
    return { ms: performance.now() - started, ok: response.status === 200 };
  };

  // Phase 1: nominal load, one interval.
  const cpuBefore = await cpuSeconds(product.pid);
  const nominal: { ms: number; ok: boolean }[] = [];
  const phaseStart = Date.now();
  await Promise.all(
    tokens.map(async (token, i) => {
      await sleep((INTERVAL_S * 1000 * i) / AGENTS);
      nominal.push(await send(token));
    }),
  );
  await sleep(Math.max(0, INTERVAL_S * 1000 - (Date.now() - phaseStart)));
  const nominalCpu = (await cpuSeconds(product.pid)) - cpuBefore;

  // Phase 2: capacity, every agent back to back.
  let stored = 0;
  let failed = 0;
  const capacityLatencies: number[] = [];
  const capacityEnd = Date.now() + CAPACITY_S * 1000;
  await Promise.all(
    tokens.map(async (token) => {
      while (Date.now() < capacityEnd) {
        const outcome = await send(token);
        capacityLatencies.push(outcome.ms);
        if (outcome.ok) stored += MIRRORS;
        else failed += 1;
      }
    }),
  );
  const capacityPerSecond = stored / CAPACITY_S;

  // Reference: the same rows through pg, multi-row INSERTs of one batch each, 10 connections.
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const referenceEnd = Date.now() + CAPACITY_S * 1000;
  let referenceRows = 0;
  await Promise.all(
    Array.from({ length: 10 }, async (_, worker) => {
      while (Date.now() < referenceEnd) {
        await insertDirect(pool, `bench-${worker}`, mirrorIds);
        referenceRows += mirrorIds.length;
      }
    }),
  );
  await pool.end();
  const referencePerSecond = referenceRows / CAPACITY_S;

  const required = (AGENTS * MIRRORS) / INTERVAL_S;
  const report = [
    `agents ${AGENTS} x mirrors ${MIRRORS} at ${INTERVAL_S} s: ${required.toFixed(0)} results/s required`,
    `machine: ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}, PostgreSQL ${await postgresVersion(databaseUrl)}`,
    '',
    '| measure | mirrorwatch /api/agent/results | reference (pg multi-row INSERT) |',
    '|---|---:|---:|',
    `| nominal: batch latency p50 / p99 ms | ${pct(
      nominal.map((n) => n.ms),
      50,
    )} / ${pct(
      nominal.map((n) => n.ms),
      99,
    )} | |`,
    `| nominal: failed batches | ${nominal.filter((n) => !n.ok).length} of ${nominal.length} | |`,
    `| nominal: server CPU over the interval | ${((nominalCpu / INTERVAL_S) * 100).toFixed(1)} % of one core | |`,
    `| capacity: results stored per second | ${capacityPerSecond.toFixed(0)} (${(capacityPerSecond / required).toFixed(1)}x required) | ${referencePerSecond.toFixed(0)} |`,
    `| capacity: batch latency p50 / p99 ms (${AGENTS} concurrent) | ${pct(capacityLatencies, 50)} / ${pct(capacityLatencies, 99)} | |`,
    `| capacity: failed batches | ${failed} | |`,
  ].join('\n');
  process.stdout.write(`${report}\n`);
} finally {
  await product.stop();
  await postgres.stop();
  await rm(workDir, { recursive: true, force: true });
}

function resultFor(mirrorId: string): AgentResultDto {
  return {
    id: randomUUID(),
    mirrorId,
    repository: 'library/alpine',
    kind: 'light',
    startedAt: new Date(Date.now() - 2_000).toISOString(),
    durationMs: 180,
    ok: true,
    failureClass: null,
    failedPhase: null,
    detail: null,
    httpStatus: 200,
    timings: { dnsMs: 2, connectMs: 30, tlsMs: 60, pingTtfbMs: 40, tokenMs: 50, manifestMs: 45, blobTtfbMs: null, blobTransferMs: null },
    manifest: {
      repository: 'library/alpine',
      reference: 'latest',
      digest: `sha256:${'ab'.repeat(32)}`,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platformDigest: `sha256:${'cd'.repeat(32)}`,
    },
    blob: null,
    retryAfterSeconds: null,
  };
}

async function insertDirect(pool: pg.Pool, vantageId: string, mirrorIds: readonly string[]): Promise<void> {
  const columns = [
    '"mirrorId"',
    '"vantageId"',
    '"kind"',
    '"repository"',
    '"reference"',
    '"startedAt"',
    '"durationMs"',
    '"ok"',
    '"httpStatus"',
    '"dnsMs"',
    '"connectMs"',
    '"tlsMs"',
    '"pingTtfbMs"',
    '"tokenMs"',
    '"manifestMs"',
    '"manifestDigest"',
    '"mediaType"',
    '"resultId"',
  ];
  const params: unknown[] = [];
  const rows = mirrorIds.map((mirrorId) => {
    const r = resultFor(mirrorId);
    const values = [
      mirrorId,
      vantageId,
      r.kind,
      r.repository,
      'latest',
      new Date(r.startedAt),
      r.durationMs,
      r.ok,
      r.httpStatus,
      r.timings.dnsMs,
      r.timings.connectMs,
      r.timings.tlsMs,
      r.timings.pingTtfbMs,
      r.timings.tokenMs,
      r.timings.manifestMs,
      r.manifest?.digest,
      r.manifest?.mediaType,
      r.id,
    ];
    return `(${values.map((value) => `$${params.push(value)}`).join(',')})`;
  });
  await pool.query(`INSERT INTO "Probe" (${columns.join(',')}) VALUES ${rows.join(',')}`, params);
}

async function cpuSeconds(pid: number | null): Promise<number> {
  if (pid === null) return 0;
  const fields = (await readFile(`/proc/${pid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  return rows[0]?.server_version ?? '?';
}

function pct(values: readonly number[], p: number): string {
  if (values.length === 0) return '-';
  const sorted = [...values].sort((a, b) => a - b);
  return (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0).toFixed(0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
