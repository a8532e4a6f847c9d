import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDto, MirrorHistoryDto, MirrorSummaryDto, ProbeDto, StatusSummaryDto } from '@mirrorwatch/api-types';
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
 * The dashboard and status page endpoints against real registries and the
 * built product. Two lab mirrors are private: `token` (up) and `dead` (down,
 * with an open incident), so a leak would show up in every public list.
 */
const PROBE_INTERVAL_SECONDS = 5;
const PRIVATE_VARIANTS: LabVariant[] = ['token', 'dead'];
const DOWN_PUBLIC_VARIANTS: LabVariant[] = ['hang', 'manifest-503', 'rate-limited'];

describe('dashboard and status endpoints, against real registries', () => {
  let lab: Lab;
  let product: RunningProduct;
  let workDir: string;
  const id = (variant: LabVariant) => mirrorIdFromUrl(lab.mirror(variant).url);
  const get = async <T>(pathname: string): Promise<{ status: number; body: T; headers: Headers }> => {
    const response = await fetch(`${product.origin}${pathname}`);
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: (response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text) as T,
    };
  };

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-pages-'));
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeCatalogFile(
      catalogPath,
      lab.mirrors.map((mirror) => (PRIVATE_VARIANTS.includes(mirror.variant) ? { ...mirror, visibility: 'private' as const } : mirror)),
    );
    product = await startProduct({ catalogPath, lab, probeIntervalSeconds: PROBE_INTERVAL_SECONDS });
    // Wait until the healthy mirror is up and every failing public mirror is down with an open incident.
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const mirrors = (await get<MirrorSummaryDto[]>('/api/mirrors')).body;
      const incidents = (await get<IncidentDto[]>('/api/incidents?open=true')).body;
      const status = (mirrorId: string) => mirrors.find((mirror) => mirror.id === mirrorId)?.status;
      if (
        status(id('healthy')) === 'up' &&
        DOWN_PUBLIC_VARIANTS.every((v) => status(id(v)) === 'down' && incidents.some((i) => i.mirrorId === id(v)))
      )
        break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  });

  afterAll(async () => {
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('GET /api/mirrors/:id is the same row /api/mirrors lists', async () => {
    // Probes keep landing while the test reads (a deep probe's first verified
    // blob, a new latency), so compare only when the list read before and the
    // list read after the single row agree: then nothing changed in between
    // and the row must be the same. The volatile per-probe figures are masked
    // so that a quiet window comes quickly; a persistent difference still fails.
    const masked = (mirror: MirrorSummaryDto | undefined) =>
      mirror && { ...mirror, lastProbeAt: null, latencyMs: null, latencyP95Ms: null, probes24h: 0 };
    const healthyRow = async () => (await get<MirrorSummaryDto[]>('/api/mirrors')).body.find((mirror) => mirror.id === id('healthy'));
    for (let attempt = 1; ; attempt += 1) {
      const before = masked(await healthyRow());
      expect(before?.status).toBe('up');
      const one = await get<MirrorSummaryDto>(`/api/mirrors/${id('healthy')}`);
      expect(one.status).toBe(200);
      const after = masked(await healthyRow());
      if (JSON.stringify(before) !== JSON.stringify(after) && attempt < 10) continue;
      expect(masked(one.body)).toEqual(before);
      return;
    }
  });

  it.each([['/api/mirrors/%s'], ['/api/mirrors/%s/history?window=1h'], ['/api/mirrors/%s/probes']])(
    '%s answers 404 for a private and an unknown id alike',
    async (template) => {
      for (const mirrorId of [id('token'), id('dead'), 'no-such-mirror']) {
        const response = await get<{ statusCode: number; message: string }>(template.replace('%s', mirrorId));
        expect(response.status, mirrorId).toBe(404);
        expect(response.body.statusCode).toBe(404);
        expect(JSON.stringify(response.body)).not.toContain(lab.mirror('token').url);
      }
    },
  );

  it.each([
    ['1h', 60, 60],
    ['24h', 900, 96],
    ['7d', 3600, 168],
    ['30d', 21600, 120],
  ] as const)('history window=%s: %d-second buckets, %d of them, contiguous, holding the probes', async (window, bucketSeconds, count) => {
    const { status, body } = await get<MirrorHistoryDto>(`/api/mirrors/${id('healthy')}/history?window=${window}`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ mirrorId: id('healthy'), window, bucketSeconds });
    expect(body.buckets).toHaveLength(count);
    body.buckets.forEach((bucket, index) => {
      expect(Date.parse(bucket.start)).toBe(Date.parse(body.from) + index * bucketSeconds * 1000);
    });
    expect(Date.parse(body.to)).toBe(Date.parse(body.from) + count * bucketSeconds * 1000);
    expect(Date.parse(body.to)).toBeGreaterThan(Date.now() - bucketSeconds * 1000);
    const withProbes = body.buckets.filter((bucket) => bucket.probes > 0);
    expect(withProbes.length).toBeGreaterThan(0);
    for (const bucket of withProbes) {
      expect(bucket.successes).toBe(bucket.probes);
      expect(bucket.manifestP50Ms).toBeGreaterThan(0);
      expect(bucket.manifestP95Ms).toBeGreaterThanOrEqual(bucket.manifestP50Ms ?? 0);
      expect(bucket.failures).toEqual({});
    }
  });

  it('history counts a failing mirror per failure class', async () => {
    const { body } = await get<MirrorHistoryDto>(`/api/mirrors/${id('manifest-503')}/history?window=1h`);
    const probes = body.buckets.reduce((sum, bucket) => sum + bucket.probes, 0);
    const failures = body.buckets.reduce((sum, bucket) => sum + (bucket.failures.server_error ?? 0), 0);
    expect(probes).toBeGreaterThanOrEqual(2);
    expect(failures).toBe(probes);
    expect(body.buckets.every((bucket) => bucket.manifestP50Ms === null)).toBe(true);
  });

  it('probes: newest first, limited, and failuresOnly keeps only failures', async () => {
    const all = await get<ProbeDto[]>(`/api/mirrors/${id('healthy')}/probes?limit=2`);
    expect(all.status).toBe(200);
    expect(all.body.length).toBeGreaterThan(0);
    expect(all.body.length).toBeLessThanOrEqual(2);
    const times = all.body.map((probe) => Date.parse(probe.startedAt));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    // The allowlist check's probes of another image are listed too; the status probes pull library/alpine.
    const alpine = (await get<ProbeDto[]>(`/api/mirrors/${id('healthy')}/probes?limit=20`)).body.find(
      (probe) => probe.repository === 'library/alpine',
    );
    expect(alpine).toMatchObject({ mirrorId: id('healthy'), vantage: 'local', ok: true, failureClass: null, digest: lab.alpine.index });
    expect(alpine?.timings.manifestMs).toBeGreaterThan(0);

    const failures = await get<ProbeDto[]>(`/api/mirrors/${id('hang')}/probes?failuresOnly=true&limit=500`);
    expect(failures.body.length).toBeGreaterThan(0);
    expect(failures.body.every((probe) => !probe.ok && probe.failureClass === 'timeout')).toBe(true);
    expect((await get<ProbeDto[]>(`/api/mirrors/${id('healthy')}/probes?failuresOnly=true`)).body.filter((p) => p.ok)).toEqual([]);
  });

  it('status: public mirrors only, 90 daily cells ending today, incidents of public mirrors, partial outage', async () => {
    const { status, body } = await get<StatusSummaryDto>('/api/status');
    expect(status).toBe(200);
    const publicIds = lab.mirrors
      .filter((mirror) => !PRIVATE_VARIANTS.includes(mirror.variant))
      .map((mirror) => mirrorIdFromUrl(mirror.url));
    expect(body.mirrors.map((mirror) => mirror.id).sort()).toEqual([...publicIds].sort());
    expect(JSON.stringify(body)).not.toContain(lab.mirror('token').url);
    expect(body.days).toBe(90);
    expect(body.overall).toBe('partial');
    const today = new Date().toISOString().slice(0, 10);
    const firstDay = new Date(Date.parse(today) - 89 * 86_400_000).toISOString().slice(0, 10);
    for (const mirror of body.mirrors) {
      expect(mirror.daily.uptimePermille).toHaveLength(90);
      expect(mirror.daily.incidents).toHaveLength(90);
      expect(mirror.daily.from).toBe(firstDay);
    }
    const healthy = body.mirrors.find((mirror) => mirror.id === id('healthy'));
    expect(healthy?.status).toBe('up');
    expect(healthy?.daily.uptimePermille[89]).toBe(1000);
    expect(healthy?.uptime).toBe(1);
    expect(healthy?.daily.uptimePermille[0]).toBeNull();
    const hang = body.mirrors.find((mirror) => mirror.id === id('hang'));
    expect([hang?.daily.uptimePermille[89], hang?.daily.incidents[89]]).toEqual([0, 1]);
    const ongoing = body.ongoingIncidents.map((incident) => incident.mirrorId);
    expect(ongoing).toEqual(expect.arrayContaining(DOWN_PUBLIC_VARIANTS.map(id)));
    expect(ongoing).not.toContain(id('dead'));
    expect(Date.parse(body.lastCheckedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });

  it('incidents: public mirrors only, filtered by mirror and open state', async () => {
    const open = (await get<IncidentDto[]>('/api/incidents?open=true')).body;
    expect(open.map((incident) => incident.mirrorId)).not.toContain(id('dead'));
    expect(open.every((incident) => incident.endedAt === null && incident.severity === 'down')).toBe(true);
    const hang = (await get<IncidentDto[]>(`/api/incidents?mirrorId=${id('hang')}`)).body;
    expect(hang).toHaveLength(1);
    expect(hang[0]).toMatchObject({ mirrorId: id('hang'), failureClass: 'timeout', endedAt: null, mirrorName: lab.mirror('hang').name });
    expect((await get<IncidentDto[]>(`/api/incidents?mirrorId=${id('dead')}`)).body).toEqual([]);
    expect((await get<IncidentDto[]>('/api/incidents?open=false')).body).toEqual([]);
    expect((await get<IncidentDto[]>('/api/incidents?limit=1')).body).toHaveLength(1);
  });

  it.each([
    ['healthy', 200, 'up'],
    ['hang', 200, 'down'],
    ['token', 404, 'unknown'],
    ['dead', 404, 'unknown'],
  ] as const)('badge of %s: %d, "%s"', async (variant, code, text) => {
    const response = await fetch(`${product.origin}/api/badge/${id(variant)}`);
    expect(response.status).toBe(code);
    expect(response.headers.get('content-type')).toMatch(/^image\/svg\+xml/);
    expect(response.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const svg = await response.text();
    expect(svg).toMatch(/^<svg /);
    expect(svg).toContain(`>${text}</text>`);
  });

  it.each([
    ['/api/mirrors/%s/history?window=2h', 'window'],
    ['/api/mirrors/%s/history?window=', 'window'],
    ['/api/mirrors/%s/probes?limit=0', 'limit'],
    ['/api/mirrors/%s/probes?limit=501', 'limit'],
    ['/api/mirrors/%s/probes?limit=abc', 'limit'],
    ['/api/mirrors/%s/probes?failuresOnly=yes', 'failuresOnly'],
    ['/api/incidents?open=1', 'open'],
    ['/api/incidents?limit=0', 'limit'],
    ['/api/incidents?mirrorId=', 'mirrorId'],
  ])('%s is a 400 naming %s', async (template, field) => {
    const response = await get<{ statusCode: number; field: string }>(template.replace('%s', id('healthy')));
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, field });
  });
});
