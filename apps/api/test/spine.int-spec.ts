import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorSummaryDto, RecommendedDaemonJsonDto } from '@mirrorwatch/api-types';
import { requireRegistryBinary, startLab, startProduct, type Lab, type RunningProduct } from '@mirrorwatch/lab';

/**
 * The whole spine against real software: Debian's docker-registry as upstream
 * and pull-through mirrors, fault servers beside them, and the built product
 * probing them on a short interval. Nothing here is mocked.
 */
const PROBE_INTERVAL_SECONDS = 5;

describe('probe -> store -> rank -> recommend, against real registries', () => {
  let lab: Lab;
  let product: RunningProduct;
  let workDir: string;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-spine-'));
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await lab.writeCatalog(catalogPath);
    product = await startProduct({ catalogPath, lab, probeIntervalSeconds: PROBE_INTERVAL_SECONDS });
  });

  afterAll(async () => {
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  const expected: Record<string, { status: MirrorSummaryDto['status']; failureClass: MirrorSummaryDto['failureClass'] }> = {
    healthy: { status: 'up', failureClass: null },
    token: { status: 'up', failureClass: null },
    dead: { status: 'down', failureClass: 'connect_refused' },
    hang: { status: 'down', failureClass: 'timeout' },
    'manifest-503': { status: 'down', failureClass: 'server_error' },
    'rate-limited': { status: 'down', failureClass: 'rate_limited' },
  };

  it('classifies every mirror within two probe intervals (plus the hang timeout)', async () => {
    const byUrl = (mirrors: MirrorSummaryDto[]) => new Map(mirrors.map((m) => [m.url, m]));
    const deadline = Date.now() + (2 * PROBE_INTERVAL_SECONDS + 10) * 1000;
    let mirrors: MirrorSummaryDto[] = [];
    const mismatches = (): string[] => {
      const index = byUrl(mirrors);
      return Object.entries(expected).flatMap(([variant, want]) => {
        const got = index.get(lab.mirror(variant as never).url);
        return got && got.status === want.status && got.failureClass === want.failureClass
          ? []
          : [`${variant}: want ${want.status}/${want.failureClass}, got ${got?.status}/${got?.failureClass}`];
      });
    };
    while (Date.now() < deadline) {
      mirrors = (await (await fetch(`${product.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
      if (mismatches().length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(mismatches()).toEqual([]);

    const healthy = byUrl(mirrors).get(lab.mirror('healthy').url);
    expect(healthy).toMatchObject({ eligible: true, successRate24h: 1 });
    expect(healthy?.latencyMs).toBeGreaterThan(0);
    expect(healthy?.lastDigest).toBe(lab.alpine.index);
    expect(Date.parse(healthy?.lastProbeAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    for (const variant of ['dead', 'hang', 'manifest-503', 'rate-limited']) {
      const mirror = byUrl(mirrors).get(lab.mirror(variant as never).url);
      expect(mirror, variant).toMatchObject({ eligible: false, rank: null });
      expect(mirror?.failureDetail, variant).toBeTruthy();
    }
  });

  it('recommends only the healthy mirrors, best first, with a stable ETag', async () => {
    const response = await fetch(`${product.origin}/api/recommended-daemon.json?count=5`);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-mirrorwatch-warning')).toBeNull();
    const body = (await response.json()) as RecommendedDaemonJsonDto;
    const mirrors = (await (await fetch(`${product.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
    const recommended = body['registry-mirrors'];
    expect(new Set(recommended)).toEqual(new Set([lab.mirror('healthy').url, lab.mirror('token').url]));
    // Best first, up to the stability margin: a mirror may stay ahead of one that is
    // faster by less than RECOMMENDATION_LATENCY_MARGIN (0.3), never of one clearly faster.
    const latency = (url: string | undefined) => mirrors.find((m) => m.url === url)?.latencyMs ?? Number.POSITIVE_INFINITY;
    const clearlyFaster = (challenger: string | undefined, incumbent: string | undefined) => latency(challenger) <= latency(incumbent) * 0.7;
    for (let i = 1; i < recommended.length; i++) {
      expect(clearlyFaster(recommended[i], recommended[i - 1]), `${recommended[i]} is clearly faster than ${recommended[i - 1]}`).toBe(false);
    }

    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const revalidated = await fetch(`${product.origin}/api/recommended-daemon.json?count=5`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(revalidated.status).toBe(304);

    const one = (await (await fetch(`${product.origin}/api/recommended-daemon.json?count=1`)).json()) as RecommendedDaemonJsonDto;
    expect(one['registry-mirrors']).toHaveLength(1);
    const rankedFirst = mirrors.find((m) => m.rank === 1)?.url;
    expect(clearlyFaster(rankedFirst, one['registry-mirrors'][0])).toBe(false);
  });

  it('gives every response a request id, keeping a sane one set by a proxy', async () => {
    const generated = (await fetch(`${product.origin}/api/mirrors`)).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${product.origin}/api/mirrors`, { headers: { 'X-Request-Id': 'edge-42' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-42');
    const forged = await fetch(`${product.origin}/api/mirrors`, { headers: { 'X-Request-Id': 'a b\tc' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each(['0', '11', 'abc', '3abc', '-1', '1e1', ''])('rejects count=%s with a 400 naming the parameter', async (count) => {
    const response = await fetch(`${product.origin}/api/recommended-daemon.json?count=${count}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, field: 'count' });
  });
});
