/**
 * The server away for five minutes while two agents probe: does every result
 * arrive afterwards, and none twice?
 *
 *   npm run build && npm run bench:agent-outage [-- --outage-seconds 300 --interval 10 --before-seconds 30]
 *
 * The built server (SQLite) and two built agents (their own vantages and
 * spools) probe the lab's mirrors every `interval` seconds. After a warm-up
 * window with the server up (the reference: how fast results arrive when
 * nothing is wrong), the server process is stopped for `outage-seconds`, then
 * started again on the same port and database. Reported: results the agents
 * produced (every id they logged as spooled) against results stored (rows in
 * the Probe table), duplicates (rows sharing a result id, and replays the
 * server recognised), each spool's peak length (lines in the file, sampled
 * every second) and the replay time (from the restarted server answering to
 * the last result produced before the restart being stored).
 */
import { readFile, rm, mkdtemp } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import type { IssuedAgentTokenDto } from '@mirrorwatch/api-types';
import { getFreePort, startAgent, startLab, startProduct, type RunningAgent, type RunningProduct } from '@mirrorwatch/lab';

const { values } = parseArgs({
  options: {
    'outage-seconds': { type: 'string', default: '300' },
    interval: { type: 'string', default: '10' },
    'before-seconds': { type: 'string', default: '30' },
  },
});
const OUTAGE_S = Number(values['outage-seconds']);
const INTERVAL_S = Number(values.interval);
const BEFORE_S = Number(values['before-seconds']);
const ADMIN_TOKEN = 'agent-outage-bench-admin-token';
const VANTAGES = ['outage-a', 'outage-b'] as const;

const workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-agent-outage-'));
const databaseFile = path.join(workDir, 'mirrorwatch.db');
const catalogPath = path.join(workDir, 'catalog.yaml');
const lab = await startLab();
await lab.writeCatalog(catalogPath);
const port = await getFreePort();
const startServer = () =>
  startProduct({
    catalogPath,
    lab,
    port,
    probeIntervalSeconds: INTERVAL_S,
    env: { ADMIN_TOKEN, DATABASE_URL: `file:${databaseFile}`, LOG_LEVEL: 'warn' },
  });
let product: RunningProduct | null = await startServer();
const agents: RunningAgent[] = [];

try {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
  for (const id of VANTAGES) {
    await fetch(`${product.origin}/api/admin/vantages`, { method: 'POST', headers, body: JSON.stringify({ id }) });
    const issued = (await (
      await fetch(`${product.origin}/api/admin/vantages/${id}/tokens`, { method: 'POST', headers, body: '{}' })
    ).json()) as IssuedAgentTokenDto;
    agents.push(startAgent({ server: product.origin, token: issued.token, spoolPath: spoolOf(id) }));
  }
  const produced = () => agents.flatMap((agent) => agent.spooledIds());

  // Reference window: the server up.
  await sleep(BEFORE_S * 1000);
  const beforeProduced = produced();
  const beforeLag = await timeUntilStored(beforeProduced);

  // The outage.
  await product.stop();
  product = null;
  const outageProducedFrom = produced().length;
  const spoolPeak = new Map<string, number>(VANTAGES.map((id) => [id, 0]));
  const outageEnds = Date.now() + OUTAGE_S * 1000;
  while (Date.now() < outageEnds) {
    await sleep(1_000);
    for (const id of VANTAGES) spoolPeak.set(id, Math.max(spoolPeak.get(id) ?? 0, await spoolLines(id)));
  }
  const producedDuringOutage = produced().length - outageProducedFrom;
  const restartedAt = Date.now();
  product = await startServer();
  const answeredAt = Date.now();
  const beforeRestart = produced();
  const replayMs = await timeUntilStored(beforeRestart);

  // Let the agents finish what is in flight, then account for every result.
  await Promise.all(agents.map((agent) => agent.stop()));
  const ids = produced();
  const rows = storedRows();
  const stored = new Set(rows);
  const leftInSpools = new Set<string>();
  for (const id of VANTAGES) for (const resultId of await spooledResultIds(id)) leftInSpools.add(resultId);
  const missing = ids.filter((id) => !stored.has(id) && !leftInSpools.has(id));
  const recognisedReplays = agents
    .flatMap((agent) => agent.output().split('\n'))
    .filter((line) => line.includes('"batch delivered"'))
    .reduce((sum, line) => sum + ((JSON.parse(line) as { duplicates?: number }).duplicates ?? 0), 0);
  const lines = [
    `two agents probing the lab's ${lab.mirrors.length} mirrors every ${INTERVAL_S} s; server (SQLite) stopped for ${OUTAGE_S} s`,
    `machine: ${cpus().length} vCPU (${cpus()[0]?.model ?? '?'}), Node ${process.version}, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    '',
    '| measure | server up (reference, first ' + BEFORE_S + ' s) | outage |',
    '|---|---:|---:|',
    `| results produced by the agents | ${beforeProduced.length} | ${producedDuringOutage} |`,
    `| time until all of them were stored | ${(beforeLag / 1000).toFixed(1)} s after the window | ${(replayMs / 1000).toFixed(1)} s after the server answered again |`,
    `| spool peak (results waiting, per agent) | | ${VANTAGES.map((id) => spoolPeak.get(id)).join(' / ')} |`,
    '',
    `whole run: ${ids.length} results produced, ${stored.size} stored, ${leftInSpools.size} still spooled at the agents' stop, ${missing.length} missing`,
    `duplicates: ${rows.length - stored.size} rows sharing a result id; ${recognisedReplays} replays recognised by the server and not stored again`,
    `server restart took ${((answeredAt - restartedAt) / 1000).toFixed(1)} s (migrations and start-up, before the replay clock starts)`,
    `verdict: ${missing.length === 0 && rows.length === stored.size ? 'every result stored once' : 'RESULTS LOST OR DUPLICATED'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await Promise.all(agents.map((agent) => agent.stop()));
  await product?.stop();
  await lab.stop();
  await rm(workDir, { recursive: true, force: true });
}

function spoolOf(vantage: string): string {
  return path.join(workDir, `${vantage}.spool`);
}

async function spoolText(vantage: string): Promise<string> {
  return readFile(spoolOf(vantage), 'utf8').catch(() => '');
}

async function spoolLines(vantage: string): Promise<number> {
  return (await spoolText(vantage)).split('\n').filter((line) => line !== '').length;
}

async function spooledResultIds(vantage: string): Promise<string[]> {
  return (await spoolText(vantage))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { id: string }).id);
}

function storedRows(): string[] {
  const db = new Database(databaseFile, { readonly: true });
  try {
    const placeholders = VANTAGES.map(() => '?').join(',');
    return (db.prepare(`SELECT resultId FROM Probe WHERE vantageId IN (${placeholders})`).all(...VANTAGES) as { resultId: string }[]).map(
      (row) => row.resultId,
    );
  } finally {
    db.close();
  }
}

/** Milliseconds until every id is in the database (polled every 250 ms; gives up after 10 minutes). */
async function timeUntilStored(ids: readonly string[]): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < 600_000) {
    const stored = new Set(storedRows());
    if (ids.every((id) => stored.has(id))) return Date.now() - started;
    await sleep(250);
  }
  throw new Error(`results still missing after 10 minutes`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
