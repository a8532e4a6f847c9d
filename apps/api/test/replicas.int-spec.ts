import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorSummaryDto, ProbeDto } from '@mirrorwatch/api-types';
import { requireRegistryBinary, startLab, startProduct, type Lab, type RunningProduct } from '@mirrorwatch/lab';
import {
  postgresForTests,
  startPostgresTestServer,
  type PostgresTestServer,
} from '#infrastructure/persistence/testing/postgres-test-server.js';
import { servedRecommendation, storedPublicList, type ServedRecommendation } from './testing/published-recommendation.js';
import { mirrors, readiness, waitFor } from './testing/replica-helpers.js';

/**
 * Two API replicas on one PostgreSQL database, as the README's section on several replicas
 * runs them: one scheduler between them (advisory lock), both
 * serving the same data, and a takeover when the scheduler goes away.
 */
const { binaries, skip, label } = postgresForTests();
const INTERVAL_SECONDS = 5;
const INTERVAL_MS = INTERVAL_SECONDS * 1000;
const ADMIN_TOKEN = 'replicas-admin-token-0123456789abcdef';

async function lightProbeTimes(product: RunningProduct, mirrorId: string): Promise<number[]> {
  const probes = (await (await fetch(`${product.origin}/api/mirrors/${mirrorId}/probes?limit=200`)).json()) as ProbeDto[];
  return probes
    .filter((probe) => probe.kind === 'light' && probe.repository === 'library/alpine')
    .map((probe) => Date.parse(probe.startedAt))
    .sort((a, b) => a - b);
}

const statusesOf = (list: MirrorSummaryDto[]) => Object.fromEntries(list.map((m) => [m.id, m.status]));

describe.skipIf(skip)(`API replicas sharing one PostgreSQL database${label}`, () => {
  let lab: Lab;
  let postgres: PostgresTestServer;
  let workDir: string;
  let catalogPath: string;
  let databaseUrl: string;
  const replicas: RunningProduct[] = [];
  let leader: RunningProduct;
  let follower: RunningProduct;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-replicas-'));
    postgres = await startPostgresTestServer(binaries!);
    databaseUrl = postgres.url('mirrorwatch_replicas');
    lab = await startLab();
    catalogPath = path.join(workDir, 'catalog.yaml');
    await lab.writeCatalog(catalogPath);
    const start = () =>
      startProduct({ catalogPath, probeIntervalSeconds: INTERVAL_SECONDS, lab, env: { DATABASE_URL: databaseUrl, ADMIN_TOKEN } });
    // One after the other: the first creates and migrates the database.
    replicas.push(await start());
    replicas.push(await start());
  }, 180_000);

  afterAll(async () => {
    for (const replica of replicas) await replica.stop();
    await lab?.stop();
    await postgres?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('elects exactly one scheduler, and both replicas are ready', async () => {
    const states = await waitFor(
      'both replicas ready',
      30_000,
      () => Promise.all(replicas.map(readiness)),
      (r) => r.every((one) => one.status === 200),
    );
    expect(states.map((state) => state.leader).sort()).toEqual([false, true]);
    leader = replicas[states.findIndex((state) => state.leader === true)]!;
    follower = replicas[states.findIndex((state) => state.leader === false)]!;
    const metrics = await (await fetch(`${follower.origin}/metrics`)).text();
    expect(metrics).toMatch(/^mirrorwatch_scheduler_leader 0$/m);
    expect(await (await fetch(`${leader.origin}/metrics`)).text()).toMatch(/^mirrorwatch_scheduler_leader 1$/m);
  });

  it('probes each mirror once per interval, not once per replica', async () => {
    const healthyId = (await mirrors(leader)).find((m) => m.url === lab.mirror('healthy').url)!.id;
    // Six intervals: a cycle that waits for the lab's hanging mirror skips ticks, and at least two starts must fall inside.
    const windowMs = 6 * INTERVAL_MS;
    const windowStart = Date.now();
    const windowEnd = windowStart + windowMs;
    // A cycle's rows are written when it ends: wait until a probe started after the window is stored, so
    // every probe started inside it is too (cycles of one lane run one after another).
    const stored = await waitFor(
      'a probe started after the window',
      windowMs + 6 * INTERVAL_MS,
      () => lightProbeTimes(follower, healthyId),
      (all) => all.some((t) => t >= windowEnd),
    );
    const times = stored.filter((t) => t >= windowStart && t < windowEnd);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    // One scheduler: at most windowMs / interval probes, spaced about one interval apart (start jitter is a
    // share of that); two schedulers would double the count and put probes a fraction of an interval apart.
    // Fewer is allowed: a cycle slowed by the lab's faulty mirrors skips the next tick.
    expect(times.length).toBeGreaterThanOrEqual(2);
    expect(times.length).toBeLessThanOrEqual(windowMs / INTERVAL_MS + 1);
    expect(Math.min(...gaps)).toBeGreaterThan(INTERVAL_MS / 2);
    console.log(`healthy mirror: ${times.length} light probes in ${windowMs} ms; gaps ${gaps.join(', ')} ms`);
  }, 90_000);

  it('serves the same mirror statuses from both replicas', async () => {
    const [fromLeader, fromFollower] = await waitFor(
      'both replicas to agree',
      3 * INTERVAL_MS,
      () => Promise.all([mirrors(leader), mirrors(follower)]),
      ([a, b]) => JSON.stringify(statusesOf(a)) === JSON.stringify(statusesOf(b)),
    );
    expect(statusesOf(fromFollower)).toEqual(statusesOf(fromLeader));
    expect(fromFollower.find((m) => m.url === lab.mirror('healthy').url)?.status).toBe('up');
    expect(fromFollower.find((m) => m.url === lab.mirror('dead').url)?.status).toBe('down');
  });

  it("follows a mirror the follower's admin API disables and enables again: the leader's kept mirror list is checked against the table", async () => {
    const deadId = (await mirrors(leader)).find((m) => m.url === lab.mirror('dead').url)!.id;
    const setEnabled = async (enabled: boolean) => {
      const response = await fetch(`${follower.origin}/api/admin/mirrors/${deadId}`, {
        method: 'PATCH',
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ enabled }),
      });
      expect(response.status).toBe(200);
    };
    await setEnabled(false);
    // The leader's next rebuild (after its next cycle) reads the list again, since the table changed elsewhere.
    await waitFor(
      'the leader to drop the disabled mirror',
      8 * INTERVAL_MS,
      () => mirrors(leader),
      (list) => !list.some((m) => m.id === deadId),
    );
    await setEnabled(true);
    await waitFor(
      'the leader to list it again',
      8 * INTERVAL_MS,
      () => mirrors(leader),
      (list) => list.some((m) => m.id === deadId),
    );
  }, 120_000);

  it('serves byte-identical recommended-daemon.json, with the same ETag, from both replicas: the stored list', async () => {
    const counts = [1, 2, 3];
    const served = (product: RunningProduct) => Promise.all(counts.map((count) => servedRecommendation(product.origin, count)));
    const same = (a: ServedRecommendation[], b: ServedRecommendation[]) => JSON.stringify(a) === JSON.stringify(b);
    // The follower reads the stored lists once per interval, so a list the leader just changed reaches it within one.
    const [fromLeader, fromFollower] = await waitFor(
      'both replicas to serve the same lists',
      3 * INTERVAL_MS,
      () => Promise.all([served(leader), served(follower)]),
      ([a, b]) => same(a, b),
    );
    // Last-Modified too: it is the stored list's timestamp, not the moment each replica happened to compute it.
    expect(fromFollower).toEqual(fromLeader);
    expect((JSON.parse(fromFollower[2]!.body) as Record<string, string[]>)['registry-mirrors']).toContain(lab.mirror('healthy').url);
    for (const [index, count] of counts.entries()) {
      expect(fromFollower[index]!.etag).toMatch(/^"[\w-]+"$/);
      expect(await storedPublicList(databaseUrl, count)).toEqual(
        (JSON.parse(fromFollower[index]!.body) as Record<string, string[]>)['registry-mirrors'],
      );
    }
  });

  it('hands the scheduler to the other replica within about two intervals when the leader stops', async () => {
    const healthyId = (await mirrors(follower)).find((m) => m.url === lab.mirror('healthy').url)!.id;
    await leader.stop();
    replicas.splice(replicas.indexOf(leader), 1);
    const stoppedAt = Date.now();
    await waitFor(
      'the follower to become leader',
      3 * INTERVAL_MS,
      () => readiness(follower),
      (r) => r.status === 200 && r.leader === true,
    );
    const takeoverMs = Date.now() - stoppedAt;
    const probes = await waitFor(
      'a probe by the new leader',
      3 * INTERVAL_MS,
      () => lightProbeTimes(follower, healthyId),
      (t) => t.some((time) => time > stoppedAt),
    );
    console.log(`takeover after ${takeoverMs} ms; first new probe ${probes.find((t) => t > stoppedAt)! - stoppedAt} ms after the stop`);
    expect(takeoverMs).toBeLessThanOrEqual(2 * INTERVAL_MS + 1000);
  }, 60_000);

  it('gives leadership up when its lock connection is killed, and takes it back while no one else holds it', async () => {
    const admin = new pg.Client({ connectionString: databaseUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'mirrorwatch-scheduler-lock'",
      );
      expect(rowCount).toBe(1);
    } finally {
      await admin.end();
    }
    const killedAt = Date.now();
    await waitFor(
      'the loss to be noticed',
      2 * INTERVAL_MS,
      async () => follower.output(),
      (out) => out.includes('lock connection lost'),
    );
    await waitFor(
      'leadership again',
      3 * INTERVAL_MS,
      () => readiness(follower),
      (r) => r.status === 200 && r.leader === true,
    );
    console.log(`lock connection killed: leader again after ${Date.now() - killedAt} ms`);
  }, 30_000);
});
