import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { MirrorSummaryDto, RecommendedDaemonJsonDto } from '@mirrorwatch/api-types';
import {
  containerdForTests,
  ctrContentFetch,
  requireRegistryBinary,
  reserveDeadPort,
  runSkopeo,
  skopeoForTests,
  startContainerd,
  startProduct,
  startUpstreamsLab,
  type ContainerdDaemon,
  type FaultServerHandle,
  type RunningProduct,
  type UpstreamsLab,
} from '@mirrorwatch/lab';
import { mirrors as readMirrors, waitFor } from './testing/replica-helpers.js';

/**
 * Issue 13 end to end: the product probes Docker Hub and ghcr.io mirrors of
 * the lab (host-style, path-prefix, dead, wrong prefix), ranks each upstream
 * apart, and serves containerd, CRI-O and k3s files that real clients pull
 * the lab's image through.
 */
const skopeo = skopeoForTests();
const containerd = containerdForTests();

describe('per-upstream exports, from the running product to real clients', () => {
  let lab: UpstreamsLab;
  let product: RunningProduct;
  let daemon: ContainerdDaemon | null = null;
  let unreachable: FaultServerHandle;
  let workDir: string;
  let ready: MirrorSummaryDto[];

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-upstream-exports-'));
    unreachable = await reserveDeadPort('ctr-server');
    [lab, daemon] = await Promise.all([
      startUpstreamsLab(),
      containerd.binaries ? startContainerd(containerd.binaries) : Promise.resolve(null),
    ]);
    const catalogPath = path.join(workDir, 'catalog.yaml');
    const entries = lab.mirrors.map((mirror) => ({
      name: mirror.name,
      url: mirror.url,
      upstream: mirror.upstream,
      ...(mirror.pathPrefix ? { pathPrefix: mirror.pathPrefix, pathStyle: mirror.pathStyle } : {}),
    }));
    await writeFile(catalogPath, stringifyYaml({ mirrors: entries }));
    product = await startProduct({
      catalogPath,
      probeIntervalSeconds: 5,
      env: {
        REFERENCE_REGISTRY_URL: lab.dockerHub.url,
        UPSTREAM_REFERENCE_URLS: `ghcr.io=${lab.ghcr.url}`,
        COVERAGE_IMAGES: `${lab.alpine.repository}:${lab.alpine.tag}`,
        SUCCESSES_TO_UP: '1',
        FAILURES_TO_DOWN: '1',
      },
    });
    // Up, and judged fresh against ghcr.io's own reference (asked at the deep cadence, which starts the scheduler).
    ready = await waitFor(
      'every working mirror up and fresh',
      60_000,
      () => readMirrors(product),
      (rows) =>
        lab.mirrors
          .filter((m) => m.works)
          .every((m) => rows.some((row) => row.name === m.name && row.status === 'up' && row.freshness === 'fresh')),
    );
  });

  afterAll(async () => {
    await Promise.allSettled([product?.stop(), lab?.stop(), daemon?.stop(), unreachable?.stop()]);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('ranks each upstream apart, against its own reference digest, and refuses the faulty ones', () => {
    const row = (name: string) => ready.find((m) => m.name === name) as MirrorSummaryDto;
    expect(row('ghcr host')).toMatchObject({ upstream: 'ghcr.io', pathPrefix: null, referenceDigest: lab.busybox.index, eligible: true });
    expect(row('ghcr prefix')).toMatchObject({ upstream: 'ghcr.io', pathPrefix: 'ghcr.io', lastDigest: lab.busybox.index, eligible: true });
    expect(row('hub prefix')).toMatchObject({ upstream: 'docker.io', referenceDigest: lab.alpine.index });
    expect(row('ghcr dead').eligible).toBe(false);
    expect(row('ghcr wrong prefix').eligible).toBe(false);
    // Probed under /ghcr.io/v2/ (the prefix before /v2): the same digest as the other styles.
    expect(row('ghcr root')).toMatchObject({
      upstream: 'ghcr.io',
      pathPrefix: 'ghcr.io',
      pathStyle: 'registry-root',
      lastDigest: lab.busybox.index,
      eligible: true,
    });
    expect(row('ghcr prefix').pathStyle).toBe('repository-prefix');
    expect(row('ghcr wrong root').eligible).toBe(false);
    const ghcrRanks = ready
      .filter((m) => m.upstream === 'ghcr.io' && m.rank !== null)
      .map((m) => m.rank)
      .sort();
    expect(ghcrRanks).toEqual([1, 2, 3]);
  });

  it('daemon.json stays Docker Hub host-style only', async () => {
    const body = (await (await fetch(`${product.origin}/api/recommended-daemon.json`)).json()) as RecommendedDaemonJsonDto;
    expect(body['registry-mirrors']).toEqual([lab.mirror('hub host').url]);
  });

  it('hosts.toml per registry: cacheable, override_path for both prefix styles, 400 naming a bad registry', async () => {
    const response = await fetch(`${product.origin}/api/recommended-hosts.toml?registry=ghcr.io&count=3`);
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
    const body = await response.text();
    const parsed = parseToml(body) as { server: string; host: Record<string, { override_path?: boolean }> };
    expect(parsed.server).toBe('https://ghcr.io');
    const prefixHost = `${lab.mirror('ghcr prefix').url}/v2/ghcr.io`;
    const rootHost = `${lab.mirror('ghcr root').url}/ghcr.io/v2`;
    expect(Object.keys(parsed.host).sort()).toEqual([lab.mirror('ghcr host').url, prefixHost, rootHost].sort());
    expect(parsed.host[prefixHost]?.override_path).toBe(true);
    expect(parsed.host[rootHost]?.override_path).toBe(true);
    const again = await fetch(`${product.origin}/api/recommended-hosts.toml?registry=ghcr.io&count=3`, {
      headers: { 'if-none-match': response.headers.get('etag') ?? '' },
    });
    expect(again.status).toBe(304);
    for (const bad of ['evil.example', 'https://ghcr.io']) {
      const refused = await fetch(`${product.origin}/api/recommended-hosts.toml?registry=${encodeURIComponent(bad)}`);
      expect(refused.status).toBe(400);
      expect(((await refused.json()) as { field: string }).field).toBe('registry');
    }
    const repeated = await fetch(`${product.origin}/api/recommended-hosts.toml?registry=ghcr.io&registry=quay.io`);
    expect(repeated.status).toBe(400);
    // No quay.io mirror: still a valid file (the registry itself as the only host) and a warning naming it.
    const none = await fetch(`${product.origin}/api/recommended-hosts.toml?registry=quay.io`);
    expect(none.status).toBe(200);
    expect(none.headers.get('x-mirrorwatch-warning')).toMatch(/no healthy mirror of quay.io/);
    expect(Object.keys((parseToml(await none.text()) as { host: object }).host)).toEqual(['https://quay.io']);
    expect(response.headers.get('x-mirrorwatch-warning')).toBeNull();

    if (!daemon) return expect(containerd.skip).toBe(true);
    // The served file as is, but with `server` on a dead port: only the mirrors can serve the pull.
    const hostsToml = body.replace('server = "https://ghcr.io"', `server = "${unreachable.url}"`);
    const run = await ctrContentFetch(daemon, {
      namespace: 'served-ghcr',
      hostsToml,
      image: `ghcr.io/${lab.busybox.repository}:${lab.busybox.tag}`,
      timeoutMs: 20_000,
    });
    expect(run.ok, run.stderr).toBe(true);
    expect(run.manifestDigests).toContain(lab.busybox.amd64Manifest);
  });

  it('registries.conf and registries.yaml carry every upstream; skopeo pulls the lab digest through the served conf', async () => {
    const conf = await (await fetch(`${product.origin}/api/recommended-registries.conf?count=3`)).text();
    const registries = (parseToml(conf) as { registry: { prefix: string; mirror: { location: string }[] }[] }).registry;
    expect(registries.map((r) => r.prefix)).toEqual(['docker.io', 'ghcr.io']);
    const yaml = parseYaml(await (await fetch(`${product.origin}/api/recommended-registries.yaml`)).text()) as {
      mirrors: Record<string, { endpoint: string[] }>;
    };
    expect(Object.keys(yaml.mirrors)).toEqual(['docker.io', 'ghcr.io']);
    expect(yaml.mirrors['ghcr.io']?.endpoint).toEqual([lab.mirror('ghcr host').url]);
    // The registry-root mirrors cannot be expressed there: left out, and each file says so.
    expect(conf).not.toContain(new URL(lab.mirror('ghcr root').url).host);
    expect(conf).toMatch(/^# Mirrors of [^\n]*ghcr\.io[^\n]* path before \/v2 are left out/m);

    if (!skopeo.path) return expect(skopeo.skip).toBe(true);
    const confPath = path.join(workDir, 'registries.conf');
    await writeFile(confPath, conf);
    const run = await runSkopeo(
      ['--registries-conf', confPath, 'inspect', '--raw', `docker://ghcr.io/${lab.busybox.repository}:${lab.busybox.tag}`],
      { timeoutMs: 20_000 },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(`sha256:${createHash('sha256').update(run.stdout).digest('hex')}`).toBe(lab.busybox.index);
  });
});
