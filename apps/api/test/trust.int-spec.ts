import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPECTED_PULL_MS_HEADER,
  RECOMMENDED_COUNT_HEADER,
  type CoverageOverviewDto,
  type ImageLookupDto,
  type MirrorSummaryDto,
  type RecommendedDaemonJsonDto,
} from '@mirrorwatch/api-types';
import {
  labCoverageImages,
  NEVER_PUSHED_REPOSITORY,
  requireRegistryBinary,
  reserveDeadPort,
  startLab,
  startProduct,
  type FaultServerHandle,
  type Lab,
  type LabVariant,
  type RunningProduct,
} from '@mirrorwatch/lab';

/**
 * Issue 8 against real registries: the reference registry (Docker Hub) is
 * unreachable, as from most of mainland China, and one coverage image exists
 * nowhere. Healthy mirrors must stay up and recommended; an allowlisting mirror
 * and one whose upstream lacks an image are flagged and recommended after the
 * full ones; a lagging mirror (an older alpine within the grace period, judged
 * against the working mirrors' majority) comes last; nothing empties the list.
 */
const PROBE_INTERVAL_SECONDS = 5;
const NEVER_PUSHED = `${NEVER_PUSHED_REPOSITORY}:latest`;

describe('a recommendation you can trust with Docker Hub unreachable', () => {
  let lab: Lab;
  let product: RunningProduct;
  let unreachableReference: FaultServerHandle;
  let workDir: string;
  let mirrors: MirrorSummaryDto[] = [];
  const mirrorOf = (variant: LabVariant): MirrorSummaryDto | undefined => mirrors.find((m) => m.url === lab.mirror(variant).url);

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-trust-'));
    [lab, unreachableReference] = await Promise.all([
      startLab({ extras: ['allowlist', 'partial', 'stale'] }),
      reserveDeadPort('reference'),
    ]);
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await lab.writeCatalog(catalogPath);
    product = await startProduct({
      catalogPath,
      lab,
      probeIntervalSeconds: PROBE_INTERVAL_SECONDS,
      env: {
        REFERENCE_REGISTRY_URL: unreachableReference.url,
        COVERAGE_IMAGES: `${labCoverageImages(lab)},${NEVER_PUSHED}`,
        // The stale variant serves the previous alpine: within an hour's grace it is lagging, not stale.
        STALE_GRACE_SECONDS: '3600',
      },
    });
  });

  afterAll(async () => {
    await product?.stop();
    await Promise.allSettled([lab?.stop(), unreachableReference?.stop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  type Want = Pick<MirrorSummaryDto, 'status' | 'eligible' | 'freshness'> & { coverage: MirrorSummaryDto['coverage']['verdict'] };
  const EXPECTED: Partial<Record<LabVariant, Want>> = {
    healthy: { status: 'up', eligible: true, freshness: 'fresh', coverage: 'all' },
    token: { status: 'up', eligible: true, freshness: 'fresh', coverage: 'all' },
    partial: { status: 'up', eligible: true, freshness: 'fresh', coverage: 'partial' },
    allowlist: { status: 'degraded', eligible: true, freshness: 'fresh', coverage: 'library_only' },
    stale: { status: 'up', eligible: true, freshness: 'lagging', coverage: 'partial' },
    dead: { status: 'down', eligible: false, freshness: 'unknown', coverage: 'unknown' },
  };

  it('judges every mirror by evidence: healthy ones up, the allowlist and the partial upstream flagged, the old alpine lagging', async () => {
    const mismatches = (): string[] =>
      Object.entries(EXPECTED).flatMap(([variant, want]) => {
        const got = mirrorOf(variant as LabVariant);
        const seen = got && { status: got.status, eligible: got.eligible, freshness: got.freshness, coverage: got.coverage.verdict };
        return JSON.stringify(seen) === JSON.stringify(want)
          ? []
          : [`${variant}: want ${JSON.stringify(want)}, got ${JSON.stringify(seen)}`];
      });
    // First light cycle, then the deep cycle with its coverage checks, then a light cycle folding the verdicts in.
    const deadline = Date.now() + 110_000;
    while (Date.now() < deadline) {
      mirrors = (await (await fetch(`${product.origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
      if (mismatches().length === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
    expect(mismatches()).toEqual([]);
    expect(mirrorOf('allowlist')?.failureClass).toBe('allowlisted');
    expect(mirrorOf('allowlist')?.coverage.failing.map((f) => [f.image, f.failureClass])).toEqual([
      [`${lab.probeTarget.repository}:latest`, 'forbidden'],
      [`${lab.secondTarget.repository}:latest`, 'forbidden'],
    ]);
    expect(mirrorOf('partial')?.coverage.failing).toEqual([{ image: `${lab.secondTarget.repository}:latest`, failureClass: 'not_found' }]);
    // The image that exists nowhere counts against nobody.
    for (const mirror of mirrors) expect(mirror.coverage.failing.map((f) => f.image)).not.toContain(NEVER_PUSHED);
    // No upstream reference: the working mirrors' majority is.
    expect(mirrorOf('healthy')?.referenceDigest).toBe(lab.alpine.index);
  }, 130_000);

  it('tells the operator the never-pushed coverage image is broken: /api/coverage, readiness and a metric', async () => {
    const overview = (await (await fetch(`${product.origin}/api/coverage`)).json()) as CoverageOverviewDto;
    expect(overview.brokenImages).toEqual([NEVER_PUSHED]);
    expect(overview.images.find((i) => i.image === 'library/alpine:latest')).toMatchObject({
      library: true,
      platforms: ['linux/amd64', 'linux/arm64'],
      broken: false,
    });
    const ready = (await (await fetch(`${product.origin}/api/health/ready`)).json()) as {
      coverage: { brokenImages: string[]; detail: string };
    };
    expect(ready.coverage.brokenImages).toEqual([NEVER_PUSHED]);
    expect(ready.coverage.detail).toMatch(/COVERAGE_IMAGES/);
    const metrics = await (await fetch(`${product.origin}/metrics`)).text();
    expect(metrics).toContain(`mirrorwatch_coverage_image_broken{image="${NEVER_PUSHED}"} 1`);
    expect(metrics).toContain('mirrorwatch_coverage_image_broken{image="library/alpine:latest"} 0');
  });

  it('recommends full mirrors first, then the allowlisting and partial ones, the lagging one last, never an empty list', async () => {
    const response = await fetch(`${product.origin}/api/recommended-daemon.json?count=10`);
    const recommended = ((await response.json()) as RecommendedDaemonJsonDto)['registry-mirrors'];
    const urls = (...variants: LabVariant[]) => new Set(variants.map((v) => lab.mirror(v).url));
    expect(new Set(recommended.slice(0, 2))).toEqual(urls('healthy', 'token'));
    expect(new Set(recommended.slice(2, 4))).toEqual(urls('allowlist', 'partial'));
    expect(recommended.slice(4)).toEqual([lab.mirror('stale').url]);
    expect(Number(response.headers.get(EXPECTED_PULL_MS_HEADER))).toBeGreaterThan(0);
  });

  it('without count, recommends the length where one more mirror stops paying for itself, and says so', async () => {
    const response = await fetch(`${product.origin}/api/recommended-daemon.json`);
    const recommended = ((await response.json()) as RecommendedDaemonJsonDto)['registry-mirrors'];
    const length = Number(response.headers.get(RECOMMENDED_COUNT_HEADER));
    expect(length).toBeGreaterThanOrEqual(1);
    expect(recommended).toHaveLength(length);
    const expected = Number(response.headers.get(EXPECTED_PULL_MS_HEADER));
    const oneMirror = Number((await fetch(`${product.origin}/api/export/daemon-json?count=1`)).headers.get(EXPECTED_PULL_MS_HEADER));
    expect(expected).toBeLessThanOrEqual(oneMirror);
  });

  it.each([
    ['/api/recommended-daemon.json', '/api/recommended-daemon.json?ignored=1'],
    ['/api/recommended-daemon.json?count=4', '/api/recommended-daemon.json?count=04'],
    ['/api/export/daemon-json', '/api/export/daemon-json?ignored=1'],
    ['/api/export/containerd-hosts-toml?count=2', '/api/export/containerd-hosts-toml?count=02'],
    ['/api/export/k3s-registries-yaml', '/api/export/k3s-registries-yaml?ignored=1'],
  ])('serves %s from the export wire path with the bytes and headers Nest sends for %s', async (wireTarget, nestTarget) => {
    // The second spelling is not a plain one (an unknown parameter, a leading zero), so it goes through Express and Nest
    // (a bare `?` would not do: fetch drops it). A rebuild between the
    // reads may change a header (expected pull time): retry until both wire reads agree around the Nest one.
    const snapshot = async (target: string, headers: Record<string, string> = {}) => {
      const response = await fetch(`${product.origin}${target}`, { headers });
      const kept = [...response.headers].filter(([name]) => name !== 'x-request-id' && name !== 'date');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      return { status: response.status, headers: kept, body: await response.text() };
    };
    for (let attempt = 0; ; attempt++) {
      const before = await snapshot(wireTarget);
      const nest = await snapshot(nestTarget);
      const after = await snapshot(wireTarget);
      if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 10) continue;
      expect(before.status).toBe(200);
      expect(nest).toEqual(before);
      const etag = before.headers.find(([name]) => name === 'etag')?.[1] ?? '';
      expect(await snapshot(wireTarget, { 'If-None-Match': etag })).toEqual(await snapshot(nestTarget, { 'If-None-Match': etag }));
      return;
    }
  });

  it('answers which mirrors serve an image, with digests, asking only catalog mirrors', async () => {
    const answer = (await (await fetch(`${product.origin}/api/images/${lab.secondTarget.repository}:latest`)).json()) as ImageLookupDto;
    const byVariant = (variant: LabVariant) => answer.mirrors.find((m) => m.url === lab.mirror(variant).url);
    expect(answer.image).toBe(`${lab.secondTarget.repository}:latest`);
    expect(byVariant('healthy')).toMatchObject({ served: true, digest: lab.secondTarget.index });
    expect(byVariant('partial')).toMatchObject({ served: false, failureClass: 'not_found' });
    expect(byVariant('allowlist')).toMatchObject({ served: false, failureClass: 'forbidden' });
    expect(byVariant('dead')).toMatchObject({ served: false, failureClass: 'connect_refused' });
    expect(answer.mirrors.map((m) => m.url)).not.toContain(unreachableReference.url);
    // Cached: the same answer, same time, without asking again.
    const again = (await (await fetch(`${product.origin}/api/images/${lab.secondTarget.repository}:latest`)).json()) as ImageLookupDto;
    expect(again.checkedAt).toBe(answer.checkedAt);
  }, 60_000);

  it('reads alpine as library/alpine:latest and refuses what is not a Docker Hub reference, naming the field', async () => {
    const alpine = (await (await fetch(`${product.origin}/api/images/alpine`)).json()) as ImageLookupDto;
    expect(alpine).toMatchObject({ image: 'library/alpine:latest', repository: 'library/alpine', tag: 'latest' });
    expect(alpine.mirrors.find((m) => m.url === lab.mirror('healthy').url)).toMatchObject({ served: true, digest: lab.alpine.index });
    for (const bad of ['Alpine:3', 'quay.io/prometheus/prometheus:main', 'alpine@sha256:00', 'alpine:-x']) {
      const response = await fetch(`${product.origin}/api/images/${bad}`);
      expect(response.status, bad).toBe(400);
      expect(await response.json(), bad).toMatchObject({ statusCode: 400, field: 'image' });
    }
  }, 60_000);
});
