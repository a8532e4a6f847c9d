import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  expandSparkline,
  SPARKLINE_BUCKET_SECONDS,
  SPARKLINE_BUCKETS,
  type MirrorSummaryDto,
  type SparklinesDto,
} from '@mirrorwatch/api-types';
import { mirrorIdFromUrl } from '@mirrorwatch/catalog';
import {
  requireRegistryBinary,
  startLab,
  startProduct,
  writeCatalogFile,
  type Lab,
  type LabVariant,
  type RunningProduct,
} from '@mirrorwatch/lab';

/**
 * `GET /api/sparklines` on the built product probing real registries: one
 * entry per public mirror (the private `token` one absent), 24 hourly
 * buckets ending with the current hour, holding what the probes measured.
 */
const PRIVATE_VARIANT: LabVariant = 'token';
const DOWN_VARIANTS: LabVariant[] = ['hang', 'manifest-503'];

describe('GET /api/sparklines, against real registries', () => {
  let lab: Lab;
  let product: RunningProduct;
  let workDir: string;
  const id = (variant: LabVariant) => mirrorIdFromUrl(lab.mirror(variant).url);
  const getJson = async <T>(pathname: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${product.origin}${pathname}`);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-sparklines-'));
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeCatalogFile(
      catalogPath,
      lab.mirrors.map((mirror) => (mirror.variant === PRIVATE_VARIANT ? { ...mirror, visibility: 'private' as const } : mirror)),
    );
    product = await startProduct({ catalogPath, probeIntervalSeconds: 5 });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const mirrors = (await getJson<MirrorSummaryDto[]>('/api/mirrors')).body;
      const status = (variant: LabVariant) => mirrors.find((mirror) => mirror.id === id(variant))?.status;
      if (status('healthy') === 'up' && DOWN_VARIANTS.every((variant) => status(variant) === 'down')) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('lists every public mirror and no private one', async () => {
    const { status, body } = await getJson<SparklinesDto>('/api/sparklines');
    expect(status).toBe(200);
    const publicIds = lab.mirrors.filter((mirror) => mirror.variant !== PRIVATE_VARIANT).map((mirror) => mirrorIdFromUrl(mirror.url));
    expect(Object.keys(body).sort()).toEqual([...publicIds].sort());
    expect(JSON.stringify(body)).not.toContain(id(PRIVATE_VARIANT));
  });

  it('gives 24 contiguous hourly buckets ending with the current hour', async () => {
    const { body } = await getJson<SparklinesDto>('/api/sparklines');
    const hourMs = SPARKLINE_BUCKET_SECONDS * 1000;
    const currentHour = Math.floor(Date.now() / hourMs) * hourMs;
    for (const [mirrorId, sparkline] of Object.entries(body)) {
      const buckets = expandSparkline(sparkline);
      expect(buckets, mirrorId).toHaveLength(SPARKLINE_BUCKETS);
      const starts = buckets.map((bucket) => Date.parse(bucket.start));
      // A request at an hour boundary may see the previous hour as the last one.
      expect(currentHour - (starts[SPARKLINE_BUCKETS - 1] ?? 0)).toBeLessThanOrEqual(hourMs);
      starts.forEach((start, index) => expect(start - (starts[0] ?? 0)).toBe(index * hourMs));
    }
  });

  it('holds the probes: a healthy mirror succeeds with a manifest time, a failing one has a zero rate and no latency', async () => {
    const { body } = await getJson<SparklinesDto>('/api/sparklines');
    // The product started moments ago: only the last hour or two hold probes.
    const buckets = (variant: LabVariant) => {
      const sparkline = body[id(variant)];
      return sparkline ? expandSparkline(sparkline) : [];
    };
    const probed = (variant: LabVariant) => buckets(variant).filter((bucket) => bucket.successRate !== null);
    const healthy = probed('healthy');
    expect(healthy.length).toBeGreaterThanOrEqual(1);
    expect(healthy.length).toBeLessThanOrEqual(2);
    for (const bucket of healthy) {
      expect(bucket.successRate).toBe(1);
      expect(bucket.manifestP50Ms).toBeGreaterThan(0);
    }
    for (const variant of DOWN_VARIANTS) {
      const buckets = probed(variant);
      expect(buckets.length, variant).toBeGreaterThanOrEqual(1);
      for (const bucket of buckets) expect(bucket).toMatchObject({ successRate: 0, manifestP50Ms: null });
    }
    expect(buckets('healthy')[0]).toMatchObject({ successRate: null, manifestP50Ms: null });
  });
});
