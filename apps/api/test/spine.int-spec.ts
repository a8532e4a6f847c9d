import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MirrorSummaryDto, RecommendedDaemonJsonDto } from '@mirrorwatch/api-types';
import { requireRegistryBinary, startLab, startProduct, type Lab, type RunningProduct } from '@mirrorwatch/lab';
import { clearlyBetter, DEFAULT_RECOMMEND_POLICY, rankMirrors, type RankedMirror } from '@mirrorwatch/scoring';

/**
 * The whole spine against real software: Debian's docker-registry as upstream
 * and pull-through mirrors, fault servers beside them, and the built product
 * probing them on a short interval. Nothing here is mocked.
 */
const PROBE_INTERVAL_SECONDS = 5;

/** The eligible /api/mirrors rows ranked again with scoring's own rules, to judge the served order by them. */
function rankedFromSummaries(mirrors: readonly MirrorSummaryDto[]): Map<string, RankedMirror> {
  const ranked = rankMirrors(
    mirrors
      .filter((m) => m.eligible)
      .map((m) => ({
        id: m.id,
        url: m.url,
        status: m.status,
        degradedReason: null,
        successRate24h: m.successRate24h,
        manifestP50Ms1h: m.latencyMs,
        throughputBytesPerSec: m.throughputBytesPerSec,
        integrityFailuresInWindow: 0,
        freshness: m.freshness,
        coverage: m.coverage.verdict,
        servedShare: m.coverage.judged > 0 ? (m.coverage.judged - m.coverage.failing.length) / m.coverage.judged : null,
        probes24h: m.probes24h,
        hangs24h: 0,
      })),
  );
  return new Map(ranked.map((m) => [m.url, m]));
}

/** The recommendation and the ranking it came from: re-read until no rebuild fell between the two reads. */
async function recommendationWithRanking(
  origin: string,
  count: number,
): Promise<{ response: Response; recommended: string[]; mirrors: MirrorSummaryDto[] }> {
  const readMirrors = async () => (await (await fetch(`${origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
  for (let attempt = 0; ; attempt++) {
    const before = await readMirrors();
    const response = await fetch(`${origin}/api/recommended-daemon.json?count=${count}`);
    const recommended = ((await response.json()) as RecommendedDaemonJsonDto)['registry-mirrors'];
    const after = await readMirrors();
    if (JSON.stringify(before) === JSON.stringify(after) || attempt === 10) return { response, recommended, mirrors: after };
  }
}

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

  it('classifies every mirror after a few probe cycles', async () => {
    const byUrl = (mirrors: MirrorSummaryDto[]) => new Map(mirrors.map((m) => [m.url, m]));
    // A bound for a hung test, not a speed claim (speed is benchmarked): a down verdict for a
    // blip class takes failuresToDown cycles, and on a loaded 2-core runner a cycle that waits for
    // the hanging mirror can outlast its interval and skip the next tick.
    const deadline = Date.now() + 10 * PROBE_INTERVAL_SECONDS * 1000;
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
    const { response, recommended, mirrors } = await recommendationWithRanking(product.origin, 5);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-mirrorwatch-warning')).toBeNull();
    expect(new Set(recommended)).toEqual(new Set([lab.mirror('healthy').url, lab.mirror('token').url]));
    // The order the product promises (libs/scoring recommend): rank order at first, and afterwards a
    // mirror moves ahead of another only when it is clearly better (a better placement tier, or in the
    // same tier successBucketMargin buckets more reliable or RECOMMENDATION_LATENCY_MARGIN faster).
    // So no member may be clearly better than the one served before it.
    const ranked = rankedFromSummaries(mirrors);
    for (let i = 1; i < recommended.length; i++) {
      const [ahead, behind] = [ranked.get(recommended[i - 1]!)!, ranked.get(recommended[i]!)!];
      expect(
        clearlyBetter(behind, ahead, DEFAULT_RECOMMEND_POLICY),
        `${behind.url} is clearly better than ${ahead.url}, yet served after it`,
      ).toBe(false);
    }

    const etag = response.headers.get('etag');
    expect(etag).toMatch(/^"[\w-]+"$/);
    const revalidated = await fetch(`${product.origin}/api/recommended-daemon.json?count=5`, { headers: { 'If-None-Match': etag ?? '' } });
    expect(revalidated.status).toBe(304);

    // count=1 keeps its own incumbent: the top-ranked mirror only when it is clearly better than that one.
    const one = await recommendationWithRanking(product.origin, 1);
    expect(one.recommended).toHaveLength(1);
    const oneRanked = rankedFromSummaries(one.mirrors);
    const served = oneRanked.get(one.recommended[0]!)!;
    const first = [...oneRanked.values()].find((m) => m.rank === 1)!;
    expect(served.eligible).toBe(true);
    expect(clearlyBetter(first, served, DEFAULT_RECOMMEND_POLICY), `${first.url} is clearly better than the served ${served.url}`).toBe(
      false,
    );
  });

  it('gives every response a request id, keeping a sane one set by a proxy', async () => {
    const generated = (await fetch(`${product.origin}/api/mirrors`)).headers.get('x-request-id');
    expect(generated).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await fetch(`${product.origin}/api/mirrors`, { headers: { 'X-Request-Id': 'edge-42' } });
    expect(kept.headers.get('x-request-id')).toBe('edge-42');
    const forged = await fetch(`${product.origin}/api/mirrors`, { headers: { 'X-Request-Id': 'a b\tc' } });
    expect(forged.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs a refused request as one JSON line with its id and path, never its query', async () => {
    const response = await fetch(`${product.origin}/api/recommended-daemon.json?count=abc&proxy=leak.example`, {
      headers: { 'X-Request-Id': 'trace-400' },
    });
    expect(response.status).toBe(400);
    const line = () =>
      product
        .output()
        .split('\n')
        .find((text) => text.includes('"trace-400"'));
    for (let attempt = 0; attempt < 50 && !line(); attempt++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(JSON.parse(line() ?? 'null')).toMatchObject({
      level: 40,
      service: 'mirrorwatch',
      msg: 'request',
      req: { id: 'trace-400', method: 'GET', path: '/api/recommended-daemon.json' },
      res: { statusCode: 400 },
    });
    expect(product.output()).not.toContain('leak.example');
  });

  it.each(['0', '11', 'abc', '3abc', '-1', '1e1', ''])('rejects count=%s with a 400 naming the parameter', async (count) => {
    const response = await fetch(`${product.origin}/api/recommended-daemon.json?count=${count}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, field: 'count' });
  });
});
