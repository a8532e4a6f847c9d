import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorSummaryDto, ProbeDto } from '@mirrorwatch/api-types';
import {
  requireRegistryBinary,
  startLab,
  startProduct,
  writeCatalogFile,
  type Lab,
  type LabVariant,
  type RunningProduct,
} from '@mirrorwatch/lab';
import {
  postgresForTests,
  startPostgresTestServer,
  type PostgresTestServer,
} from '#infrastructure/persistence/testing/postgres-test-server.js';
import { mirrorDetail, mirrors, readiness, waitFor } from './testing/replica-helpers.js';

/**
 * Issue 15: whatever a follower serves, it derives from what the leader
 * stored. Two replicas on one real PostgreSQL: every field of /api/mirrors and
 * /api/mirrors/{id} is the same on both (freshness and the reference digest
 * included, which once lived only in the leader's memory), and a replica that
 * takes over keeps serving the same freshness, before and after its own first
 * deep probe (which once restarted every mirror's grace period).
 *
 * The leader probes every LEADER_INTERVAL_SECONDS, so its data holds still
 * for most of an interval and the follower (rebuilding every
 * FOLLOWER_INTERVAL_SECONDS) reads the same cycle. No hanging mirror in the
 * catalog: it would stretch every light cycle over most of the interval.
 */
const { binaries, skip, label } = postgresForTests();
const LEADER_INTERVAL_SECONDS = 30;
/** The shortest interval the product accepts. */
const FOLLOWER_INTERVAL_SECONDS = 5;
const STALE_GRACE_SECONDS = 5;
const VARIANTS: LabVariant[] = ['healthy', 'token', 'dead', 'manifest-503', 'stale'];

/**
 * Keyed by mirror id in id order, not ranking order: two fresh mirrors trade
 * places as their latencies move, and JSON.stringify compares key order.
 */
const freshnessOf = (list: MirrorSummaryDto[]) =>
  Object.fromEntries(
    [...list].sort((a, b) => a.id.localeCompare(b.id)).map((m) => [m.id, { freshness: m.freshness, referenceDigest: m.referenceDigest }]),
  );

/** The per-mirror series of /metrics (not the scheduler_* or process series, which describe each process). */
async function mirrorSeries(product: RunningProduct): Promise<string[]> {
  const text = await (await fetch(`${product.origin}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => /^mirrorwatch_(mirror_status|mirror_info|probe_success|probe_duration_seconds)\{/.test(line))
    .sort();
}

async function deepProbeTimes(product: RunningProduct, mirrorId: string): Promise<number[]> {
  const probes = (await (await fetch(`${product.origin}/api/mirrors/${mirrorId}/probes?limit=200`)).json()) as ProbeDto[];
  return probes.filter((probe) => probe.kind === 'deep').map((probe) => Date.parse(probe.startedAt));
}

describe.skipIf(skip)(`replicas serve the leader's stored verdicts${label}`, () => {
  let lab: Lab;
  let postgres: PostgresTestServer;
  let workDir: string;
  let leader: RunningProduct;
  let follower: RunningProduct;
  const running: RunningProduct[] = [];
  const idOf = (variant: LabVariant, list: MirrorSummaryDto[]) => list.find((m) => m.url === lab.mirror(variant).url)!.id;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-verdicts-'));
    postgres = await startPostgresTestServer(binaries!);
    const databaseUrl = postgres.url('mirrorwatch_verdicts');
    lab = await startLab({ extras: ['stale'] });
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeCatalogFile(
      catalogPath,
      lab.mirrors.filter((mirror) => VARIANTS.includes(mirror.variant)),
    );
    const env = { DATABASE_URL: databaseUrl, STALE_GRACE_SECONDS: String(STALE_GRACE_SECONDS) };
    leader = await startProduct({ catalogPath, lab, probeIntervalSeconds: LEADER_INTERVAL_SECONDS, env });
    running.push(leader);
    await waitFor(
      'the first replica to lead',
      30_000,
      () => readiness(leader),
      (r) => r.leader === true,
    );
    follower = await startProduct({ catalogPath, lab, probeIntervalSeconds: FOLLOWER_INTERVAL_SECONDS, env });
    running.push(follower);
  }, 180_000);

  afterAll(async () => {
    for (const replica of running) await replica.stop();
    await lab?.stop();
    await postgres?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('serves every field of /api/mirrors and /api/mirrors/{id} equal on leader and follower after one cycle', async () => {
    // One cycle: the first light cycle, then the deep one that asks the upstream for the reference and verifies blobs.
    const fromLeader = await waitFor(
      'the leader to finish its first deep cycle',
      60_000,
      () => mirrors(leader),
      (list) => list.some((m) => m.url === lab.mirror('healthy').url && m.lastVerifiedAt !== null && m.referenceDigest !== null),
    );
    expect(fromLeader.find((m) => m.url === lab.mirror('healthy').url)).toMatchObject({
      freshness: 'fresh',
      referenceDigest: lab.alpine.index,
    });
    expect(['lagging', 'stale']).toContain(fromLeader.find((m) => m.url === lab.mirror('stale').url)?.freshness);

    // The follower rebuilds from the database every FOLLOWER_INTERVAL_SECONDS; the leader's data holds still far longer.
    const [leaderList, followerList] = await waitFor(
      'the follower to serve what the leader serves',
      6 * FOLLOWER_INTERVAL_SECONDS * 1000,
      () => Promise.all([mirrors(leader), mirrors(follower)]),
      ([a, b]) => JSON.stringify(a) === JSON.stringify(b),
    );
    expect(followerList).toEqual(leaderList);
    expect(followerList.length).toBe(VARIANTS.length);
    for (const { id } of leaderList) {
      const [a, b] = await Promise.all([mirrorDetail(leader, id), mirrorDetail(follower, id)]);
      expect(b, id).toEqual(a);
    }
    // /metrics: the mirror series (status, info, the latest probes' phases and success) come from the same stored rows.
    const [leaderSeries, followerSeries] = await Promise.all([mirrorSeries(leader), mirrorSeries(follower)]);
    expect(followerSeries).toEqual(leaderSeries);
    expect(followerSeries.some((line) => line.startsWith('mirrorwatch_probe_success{') && line.includes('kind="deep"'))).toBe(true);
  }, 90_000);

  it('keeps the same freshness through a takeover, before and after the new leader’s first deep probe', async () => {
    // Wait until the frozen mirror is past its grace period on the leader: the verdict a lost grace period would undo.
    const before = await waitFor(
      'the stale mirror to turn stale',
      3 * LEADER_INTERVAL_SECONDS * 1000,
      () => mirrors(leader),
      (list) => list.find((m) => m.url === lab.mirror('stale').url)?.freshness === 'stale',
    );
    const expected = freshnessOf(before);
    await waitFor(
      'the follower to agree',
      6 * FOLLOWER_INTERVAL_SECONDS * 1000,
      () => mirrors(follower),
      (list) => JSON.stringify(freshnessOf(list)) === JSON.stringify(expected),
    );

    const healthyId = idOf('healthy', before);
    const deepBefore = Math.max(...(await deepProbeTimes(follower, healthyId)));
    await leader.stop();
    running.splice(running.indexOf(leader), 1);
    const stoppedAt = Date.now();

    // Watch the new leader from the stop until it has run its own deep cycle and a few light cycles after it.
    const seen: { at: number; leader: boolean | null; freshness: ReturnType<typeof freshnessOf> }[] = [];
    let newDeepAt: number | null = null;
    const watchUntil = Date.now() + 60_000;
    while (Date.now() < watchUntil) {
      const [role, list] = await Promise.all([readiness(follower), mirrors(follower)]);
      seen.push({ at: Date.now() - stoppedAt, leader: role.leader, freshness: freshnessOf(list) });
      if (newDeepAt === null) {
        const deep = (await deepProbeTimes(follower, healthyId)).filter((t) => t > deepBefore);
        if (deep.length > 0) newDeepAt = Date.now();
      } else if (Date.now() - newDeepAt > (STALE_GRACE_SECONDS + 2 * FOLLOWER_INTERVAL_SECONDS) * 1000) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(newDeepAt, 'the new leader never ran a deep probe').not.toBeNull();
    expect(seen.some((s) => s.leader === true)).toBe(true);
    const differing = seen.filter((s) => JSON.stringify(s.freshness) !== JSON.stringify(expected));
    expect(differing, `freshness served by the new leader changed after the takeover: ${JSON.stringify(differing.slice(0, 3))}`).toEqual(
      [],
    );
    console.log(
      `takeover: ${seen.length} reads over ${seen[seen.length - 1]!.at} ms, new leader's first deep probe seen ${newDeepAt! - stoppedAt} ms after the stop`,
    );
  }, 150_000);
});
