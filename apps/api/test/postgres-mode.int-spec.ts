import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorSummaryDto, RecommendedDaemonJsonDto } from '@mirrorwatch/api-types';
import { requireRegistryBinary, startLab, startProduct, type Lab, type RunningProduct } from '@mirrorwatch/lab';
import {
  postgresForTests,
  startPostgresTestServer,
  type PostgresTestServer,
} from '#infrastructure/persistence/testing/postgres-test-server.js';
import { servedRecommendation, storedPublicList } from './testing/published-recommendation.js';

/**
 * The whole product on PostgreSQL, as `DATABASE_URL=postgresql://…` selects it:
 * the database is created and migrated at start, probes are stored, and a
 * restart on the same database keeps what was learnt, the recommended lists
 * (the incumbents fleets were given) included.
 */
const { binaries, skip, label } = postgresForTests();

describe.skipIf(skip)(`PostgreSQL mode, end to end${label}`, () => {
  let lab: Lab;
  let postgres: PostgresTestServer;
  let product: RunningProduct | undefined;
  let workDir: string;
  let catalogPath: string;
  let databaseUrl: string;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-pg-'));
    postgres = await startPostgresTestServer(binaries!);
    databaseUrl = postgres.url('mirrorwatch_e2e');
    lab = await startLab();
    catalogPath = path.join(workDir, 'catalog.yaml');
    await lab.writeCatalog(catalogPath);
  });

  afterAll(async () => {
    await product?.stop();
    await lab?.stop();
    await postgres?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** 1 and the default: with two healthy lab mirrors, 2 is where an unstable choice would reorder. */
  const COUNTS = [1, 2, 3];

  /**
   * The lab's mirrors all answer from 127.0.0.1 in a few ms, so their p50s,
   * over the handful of probes a test makes, differ by more than the default
   * 30 % margin by chance, and a legitimate "clearly faster" swap would look
   * like churn here. Only a change of eligibility may alter the list.
   */
  const STABLE_MARGIN = '0.95';

  const start = () =>
    startProduct({
      catalogPath,
      probeIntervalSeconds: 5,
      lab,
      env: { DATABASE_URL: databaseUrl, RECOMMENDATION_LATENCY_MARGIN: STABLE_MARGIN },
    });

  it('creates and migrates the database, probes, ranks and recommends', async () => {
    product = await start();
    let healthy: MirrorSummaryDto | undefined;
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      const mirrors = (await (await fetch(`${product.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
      healthy = mirrors.find((m) => m.url === lab.mirror('healthy').url);
      if (healthy?.status === 'up' && mirrors.find((m) => m.url === lab.mirror('dead').url)?.status === 'down') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(healthy).toMatchObject({ status: 'up', eligible: true });
    const ready = await fetch(`${product.origin}/api/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await (await fetch(`${product.origin}/api/recommended-daemon.json`)).json()) as RecommendedDaemonJsonDto;
    expect(body['registry-mirrors']).toContain(lab.mirror('healthy').url);
  });

  it('serves what it learnt immediately after a restart on the same database', async () => {
    const before = (await (await fetch(`${product!.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
    const recommendedBefore = await Promise.all(COUNTS.map((count) => servedRecommendation(product!.origin, count)));
    await product!.stop();
    product = await start();
    // Read before the first new cycle can finish: the ranking is rebuilt from stored probes at boot.
    const after = (await (await fetch(`${product.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
    const recommendedAfter = await Promise.all(COUNTS.map((count) => servedRecommendation(product!.origin, count)));
    // Same bytes and ETag, and the stored Last-Modified: a list chosen afresh at boot would carry the boot time.
    expect(recommendedAfter).toEqual(recommendedBefore);
    for (const [index, count] of COUNTS.entries()) {
      const served = JSON.parse(recommendedBefore[index]!.body) as RecommendedDaemonJsonDto;
      expect(await storedPublicList(databaseUrl, count)).toEqual(served['registry-mirrors']);
    }
    const statusOf = (list: MirrorSummaryDto[], url: string) => list.find((m) => m.url === url)?.status;
    expect(statusOf(after, lab.mirror('healthy').url)).toBe(statusOf(before, lab.mirror('healthy').url));
    expect(statusOf(after, lab.mirror('dead').url)).toBe('down');
    expect(after.find((m) => m.url === lab.mirror('healthy').url)?.probes24h).toBeGreaterThanOrEqual(
      before.find((m) => m.url === lab.mirror('healthy').url)?.probes24h ?? 1,
    );
  });

  it('keeps serving the stored list after its first cycle as scheduler, instead of choosing afresh', async () => {
    const atBoot = await Promise.all(COUNTS.map((count) => servedRecommendation(product!.origin, count)));
    const healthyUrl = lab.mirror('healthy').url;
    const lastProbe = async () =>
      ((await (await fetch(`${product!.origin}/api/mirrors`)).json()) as MirrorSummaryDto[]).find((m) => m.url === healthyUrl)
        ?.lastProbeAt ?? null;
    const bootProbe = await lastProbe();
    const deadline = Date.now() + 30_000;
    while ((await lastProbe()) === bootProbe && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));
    expect(await lastProbe()).not.toBe(bootProbe);
    // The ranking is rebuilt at the end of the cycle that stored the probe: give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await Promise.all(COUNTS.map((count) => servedRecommendation(product!.origin, count)))).toEqual(atBoot);
  }, 45_000);
});
