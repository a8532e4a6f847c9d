import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPORT_FORMATS } from '@mirrorwatch/api-types';
import { containerdForTests, ctrContentFetch, runSkopeo, skopeoForTests, startContainerd, type Lab } from '@mirrorwatch/lab';
import { startLabProduct, type LabProduct } from './testing/lab-product.js';

/**
 * The exports against the built product probing the real lab (Debian
 * docker-registry mirrors and fault servers): every format, revalidation,
 * the daemon.json merge and its errors, and real clients (skopeo, containerd)
 * pulling through the exported configuration. The admin API, metrics and
 * notifications of the same product are in operations.int-spec.ts.
 */

// Missing clients fail these checks; only MIRRORWATCH_SKIP=skopeo,containerd skips them (and says so in the summary).
const skopeo = skopeoForTests();
const containerdRequirement = containerdForTests();
const containerd = containerdRequirement.binaries;

describe('exports against the real product', () => {
  let running: LabProduct;
  let lab: Lab;
  let workDir: string;
  let origin: string;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-exports-'));
    running = await startLabProduct(workDir);
    lab = running.lab;
    origin = running.product.origin;
  });

  afterAll(async () => {
    await running?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it.each(EXPORT_FORMATS.filter((f) => f !== 'http-proxy-conf'))(
    'serves %s with a strong ETag, 304 on revalidation, the healthy mirrors',
    async (format) => {
      const response = await fetch(`${origin}/api/export/${format}?count=2`);
      expect(response.status).toBe(200);
      expect(response.headers.get('x-mirrorwatch-warning')).toBeNull();
      expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      const body = await response.text();
      for (const variant of ['healthy', 'token'] as const) expect(body).toContain(lab.mirror(variant).host);
      expect(body).not.toContain(lab.mirror('dead').host);
      const etag = response.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]+"$/);
      const again = await fetch(`${origin}/api/export/${format}?count=2`, { headers: { 'If-None-Match': etag } });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe('');
    },
  );

  it('serves docker-desktop as the daemon.json content, equal to /api/recommended-daemon.json', async () => {
    const [desktop, daemon, recommended] = await Promise.all(
      ['/api/export/docker-desktop', '/api/export/daemon-json', '/api/recommended-daemon.json'].map(async (p) =>
        (await fetch(`${origin}${p}?count=3`)).text(),
      ),
    );
    expect(desktop).toBe(daemon);
    expect(JSON.parse(desktop ?? '')).toEqual(JSON.parse(recommended ?? ''));
  });

  it('serves /api/install.sh with its own URL in the usage line', async () => {
    const script = await (await fetch(`${origin}/api/install.sh?count=2`)).text();
    expect(script.startsWith('#!/usr/bin/env bash')).toBe(true);
    expect(script).toContain(`curl -fsSL ${origin}/api/install.sh | sudo bash`);
    expect(script).toContain(lab.mirror('healthy').url);
  });

  it('merges a Docker Desktop daemon.json, keeping every other key', async () => {
    const desktop = {
      builder: { gc: { defaultKeepStorage: '20GB', enabled: true } },
      experimental: false,
      'registry-mirrors': ['https://old.example'],
      features: { buildkit: true },
    };
    const response = await fetch(`${origin}/api/recommended-daemon.json?count=2`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(desktop),
    });
    expect(response.status).toBe(200);
    const merged = (await response.json()) as Record<string, unknown>;
    const recommended = (await (await fetch(`${origin}/api/recommended-daemon.json?count=2`)).json()) as Record<string, unknown>;
    expect(merged).toEqual({ ...desktop, 'registry-mirrors': recommended['registry-mirrors'] });
    expect(Object.keys(merged)).toEqual(Object.keys(desktop));
  });

  it.each([
    ['a trailing comma', '{\n  "debug": true,\n}', 3, 1],
    ['a missing quote', '{\n  "debug: true\n}', 2, 15],
  ])('rejects daemon.json with %s: 400 with line and column', async (_name, text, line, column) => {
    const response = await fetch(`${origin}/api/recommended-daemon.json`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: text,
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; line: number; column: number; field: string };
    expect(body).toMatchObject({ field: 'body', line, column });
    expect(body.message).toContain(`line ${line}, column ${column}`);
  });

  it.each([
    ['httpProxy=ftp://proxy:21', 'httpProxy'],
    ['httpsProxy=http://proxy:3128/path', 'httpsProxy'],
    ['httpProxy=http://proxy:3128&noProxy=a b', 'noProxy'],
    ['', 'httpProxy'],
  ])('validates http-proxy-conf parameters: %s -> 400 naming %s', async (query, field) => {
    const response = await fetch(`${origin}/api/export/http-proxy-conf?${query}`);
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ statusCode: 400, field });
  });

  it('renders the http-proxy drop-in', async () => {
    const response = await fetch(`${origin}/api/export/http-proxy-conf?httpProxy=http://proxy.corp:3128&noProxy=localhost,.corp`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Environment="HTTP_PROXY=http://proxy.corp:3128"');
  });

  it.each([
    ['/api/export/nginx-conf', 404],
    ['/api/export/daemon-json?count=0', 400],
    ['/api/install.sh?count=abc', 400],
  ])('%s -> %i with a message', async (url, status) => {
    const response = await fetch(`${origin}${url}`);
    expect(response.status).toBe(status);
    expect(((await response.json()) as { message: string }).message).toMatch(/format|count/);
  });

  it.skipIf(skopeo.skip)(
    `skopeo pulls docker.io/library/alpine through the top-ranked mirror with the generated registries.conf${skopeo.label}`,
    async () => {
      const conf = await (await fetch(`${origin}/api/export/registries-conf?count=1`)).text();
      const confPath = path.join(workDir, 'registries.conf');
      await writeFile(confPath, conf);
      const out = path.join(workDir, 'alpine');
      const result = await runSkopeo(
        [
          '--insecure-policy',
          '--registries-conf',
          confPath,
          'copy',
          '--override-os',
          'linux',
          '--override-arch',
          'amd64',
          'docker://docker.io/library/alpine:latest',
          `dir:${out}`,
        ],
        { timeoutMs: 60_000 },
      );
      expect(result.code, result.stderr).toBe(0);
      expect(
        `sha256:${createHash('sha256')
          .update(await readFile(path.join(out, 'manifest.json')))
          .digest('hex')}`,
      ).toBe(lab.alpine.amd64Manifest);
    },
  );

  /**
   * The exported hosts.toml is used verbatim: mirror entries and `server`
   * alike. `server` stays https://registry-1.docker.io, which containerd only
   * tries once every mirror host failed; this machine has no internet, so a
   * success can only have come through a lab mirror. The digest says so on
   * its own too: the lab's alpine is built by the lab and exists on no other
   * registry. The lab mirrors are plain http: containerd takes the scheme
   * from the `[host."http://…"]` key (without it, it speaks https and fails
   * with "server gave HTTP response to HTTPS client").
   * (k3s's registries.yaml has no offline client here: no k3s binary.)
   */
  it.skipIf(containerdRequirement.skip)(
    `containerd (ctr content fetch) pulls docker.io/library/alpine:latest through the mirrors of the exported hosts.toml${containerdRequirement.label}`,
    async () => {
      if (!containerd) throw new Error('unreachable: containerdForTests() returns binaries unless skipped');
      const hostsToml = await (await fetch(`${origin}/api/export/containerd-hosts-toml?count=2`)).text();
      expect(hostsToml).toContain('server = "https://registry-1.docker.io"');
      const daemon = await startContainerd(containerd);
      try {
        const fetched = await ctrContentFetch(daemon, {
          namespace: 'exported-hosts-toml',
          hostsToml,
          image: 'docker.io/library/alpine:latest',
          platform: 'linux/amd64',
          timeoutMs: 20_000,
        });
        expect(fetched.ok, `${fetched.stdout}\n${fetched.stderr}`).toBe(true);
        expect(fetched.manifestDigests).toEqual([lab.alpine.amd64Manifest]);
        for (const digest of [lab.alpine.index, lab.alpine.amd64Manifest, lab.alpine.config, lab.alpine.layer])
          expect(await fetched.holds(digest), digest).toBe(true);
      } finally {
        await daemon.stop();
      }
    },
  );
});
