import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registriesConfWithMirror, runSkopeo } from '../clients/skopeo.js';
import { MEDIA_TYPES } from '../registry/media-types.js';
import { requireRegistryBinary } from '../registry/registry-binary.js';
import { fetchManifest, fetchPullToken } from '../test-support/registry-fetch.js';
import type { StandardVariant } from './lab-mirror.js';
import { startLab, type Lab } from './start-lab.js';

const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('standard lab', () => {
  let lab: Lab;
  let scratch: string;

  beforeAll(async () => {
    // Fails (never skips) on a machine without the registry: CI must notice.
    requireRegistryBinary();
    scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-lab-test-'));
    lab = await startLab();
  });

  afterAll(async () => {
    await lab?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('starts the standard mirrors on distinct loopback ports and writes a catalog listing them', async () => {
    expect(lab.mirrors.map((m) => m.variant)).toEqual(['healthy', 'token', 'dead', 'hang', 'manifest-503', 'rate-limited']);
    expect(new Set(lab.mirrors.map((m) => m.url)).size).toBe(lab.mirrors.length);
    const path = join(scratch, 'catalog.yaml');
    await lab.writeCatalog(path);
    const text = await readFile(path, 'utf8');
    for (const mirror of lab.mirrors) expect(text).toContain(`url: ${mirror.url}`);
  });

  it('healthy mirror serves the seeded manifest list when asked with the four Accept types', async () => {
    const manifest = await fetchManifest(lab.mirror('healthy').url, 'library/alpine', 'latest');
    expect(manifest.status).toBe(200);
    expect(manifest.contentType).toBe(MEDIA_TYPES.dockerManifestList);
    expect(manifest.digest).toBe(lab.alpine.index);
    expect(sha256(manifest.body)).toBe(lab.alpine.index);
  });

  it('healthy mirror answers a schema2-only Accept with the amd64 child (the distribution 2.8 pitfall)', async () => {
    const manifest = await fetchManifest(lab.mirror('healthy').url, 'library/alpine', 'latest', { accept: MEDIA_TYPES.dockerManifest });
    expect(manifest.digest).toBe(lab.alpine.amd64Manifest);
  });

  it('token mirror challenges with its own realm, then serves with a token', async () => {
    const mirror = lab.mirror('token');
    const ping = await fetch(`${mirror.url}/v2/`);
    expect(ping.status).toBe(401);
    const challenge = ping.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Bearer realm="http:\/\/127\.0\.0\.1:\d+\/token",service="[^"]+"/);
    expect((await fetchManifest(mirror.url, 'library/alpine', 'latest')).status).toBe(401);
    const token = await fetchPullToken(challenge, 'library/alpine');
    const manifest = await fetchManifest(mirror.url, 'library/alpine', 'latest', { token });
    expect(manifest.status).toBe(200);
    expect(manifest.digest).toBe(lab.alpine.index);
  });

  it('token mirror rejects a token signed by a key it does not trust', async () => {
    const forged = ['eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9', Buffer.from('{"iss":"x"}').toString('base64url'), 'AAAA'].join('.');
    expect((await fetchManifest(lab.mirror('token').url, 'library/alpine', 'latest', { token: forged })).status).toBe(401);
  });

  it.concurrent.for(['healthy', 'token'] as const)('skopeo inspects library/alpine through the %s mirror', async (variant, { expect }) => {
    const result = await runSkopeo([
      'inspect',
      '--raw',
      '--tls-verify=false',
      `docker://${lab.mirror(variant).host}/library/alpine:latest`,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(sha256(result.stdout)).toBe(lab.alpine.index);
  });

  it('skopeo copies docker.io/library/alpine through the healthy mirror set in registries.conf', async () => {
    const confPath = join(scratch, 'registries.conf');
    await writeFile(confPath, registriesConfWithMirror(lab.mirror('healthy').host, { insecure: true }));
    const out = join(scratch, 'copy');
    const result = await runSkopeo([
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
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(sha256(await readFile(join(out, 'manifest.json')))).toBe(lab.alpine.amd64Manifest);
    const layer = await readFile(join(out, lab.alpine.layer.replace('sha256:', '')));
    expect(sha256(layer)).toBe(lab.alpine.layer);
  });

  // timeoutMs bounds skopeo (--command-timeout is one second less); maxMs is what we accept.
  const failing: { variant: StandardVariant; error: RegExp; timeoutMs: number; maxMs: number }[] = [
    { variant: 'dead', error: /connection refused/, timeoutMs: 5_000, maxMs: 3_000 },
    { variant: 'hang', error: /deadline exceeded|timeout/i, timeoutMs: 5_000, maxMs: 7_000 },
    { variant: 'manifest-503', error: /503 Service Unavailable/, timeoutMs: 5_000, maxMs: 3_000 },
    // skopeo honours Retry-After (1 s) and retries a few times before it gives up.
    { variant: 'rate-limited', error: /toomanyrequests/, timeoutMs: 12_000, maxMs: 11_000 },
  ];
  it.concurrent.for(failing)('skopeo fails against the $variant mirror', async ({ variant, error, timeoutMs, maxMs }, { expect }) => {
    const result = await runSkopeo(
      ['inspect', '--raw', '--tls-verify=false', `docker://${lab.mirror(variant).host}/library/alpine:latest`],
      { timeoutMs },
    );
    expect(result.code).not.toBe(0);
    expect(result.killed).toBe(false);
    expect(result.stderr).toMatch(error);
    expect(result.durationMs).toBeLessThan(maxMs);
  });

  // Declared last: vitest runs a file's tests in order, so this sees the lab after every other check.
  it('stops every process and removes its temp dirs', async () => {
    const pids = lab.pids();
    expect(pids.length).toBe(3); // upstream, healthy, token
    expect(pids.every(processAlive)).toBe(true);
    await lab.stop();
    expect(pids.filter(processAlive)).toEqual([]);
    expect(existsSync(lab.upstream.dir)).toBe(false);
    await expect(fetch(`${lab.mirror('healthy').url}/v2/`)).rejects.toThrow();
    await expect(fetch(`${lab.mirror('manifest-503').url}/v2/`)).rejects.toThrow();
  });
});
