import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { copyFile, mkdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runSkopeo } from '../clients/skopeo.js';
import { requireRegistryBinary } from '../registry/registry-binary.js';
import { MANIFEST_ACCEPT } from '../registry/media-types.js';
import { buildAlpine, describeSeededImage } from '../seed/seed-images.js';
import { fetchManifest } from '../test-support/registry-fetch.js';
import { waitFor } from '../test-support/wait-for.js';
import { startLab, type Lab } from './start-lab.js';

const sha256 = (data: Buffer | string): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;
const LATENCY_MS = 250;

/** Reads a body for at most `windowMs`; returns what arrived (stalled bodies never end). */
function readBodyFor(url: string, windowMs: number): Promise<{ status: number; bytes: Buffer; ended: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const req = httpRequest(url, (res) => {
      const timer = setTimeout(() => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), ended: false });
      }, windowMs);
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        clearTimeout(timer);
        resolve({ status: res.statusCode ?? 0, bytes: Buffer.concat(chunks), ended: true });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Manifest GET over https trusting only `ca` (fetch cannot take a CA). */
function httpsManifestDigest(url: string, ca: string | undefined): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(`${url}/v2/library/alpine/manifests/latest`, { ca, headers: { accept: MANIFEST_ACCEPT } }, (res) => {
      res.resume();
      resolve((res.headers['docker-content-digest'] as string | undefined) ?? null);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('lab extras', () => {
  let lab: Lab;
  let scratch: string;

  beforeAll(async () => {
    requireRegistryBinary();
    scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-lab-extras-'));
    lab = await startLab({ extras: 'all', latencyMs: LATENCY_MS });
  });

  afterAll(async () => {
    await lab?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  const layerUrl = (variant: Parameters<Lab['mirror']>[0]): string =>
    `${lab.mirror(variant).url}/v2/library/alpine/blobs/${lab.alpine.layer}`;

  it('slow mirror serves the right digest, at least the configured latency late', async () => {
    const started = Date.now();
    const manifest = await fetchManifest(lab.mirror('slow').url, 'library/alpine', 'latest');
    expect(Date.now() - started).toBeGreaterThanOrEqual(LATENCY_MS);
    expect(manifest.digest).toBe(lab.alpine.index);
  });

  it('corrupt-blob mirror serves a blob of the right length whose sha256 does not match', async () => {
    const response = await fetch(layerUrl('corrupt-blob'));
    const body = Buffer.from(await response.arrayBuffer());
    expect(response.status).toBe(200);
    expect(body.length).toBe(lab.alpine.layerSize);
    expect(sha256(body)).not.toBe(lab.alpine.layer);
  });

  it('stalled-blob mirror sends about half the blob and then nothing', async () => {
    // The rule stalls what the healthy mirror behind it answers, and passes anything but a 200 through. Once (CI,
    // a loaded machine) that mirror, docker-registry's pull-through cache, answered this GET with a 500 just after
    // the case above had pulled the same blob through it: the precondition is that it serves the layer whole.
    await waitFor(
      'the healthy mirror to serve the layer',
      30_000,
      async () => {
        const response = await fetch(layerUrl('healthy'));
        await response.arrayBuffer();
        return response.status;
      },
      (status) => status === 200,
    );
    const { status, bytes, ended } = await readBodyFor(layerUrl('stalled-blob'), 1_000);
    expect(status).toBe(200);
    expect(ended).toBe(false);
    expect(bytes.length).toBe(Math.floor(lab.alpine.layerSize / 2));
  });

  it('cdn-redirect mirror sends blob GETs with a 307 to another server that serves the bytes', async () => {
    const mirror = lab.mirror('cdn-redirect');
    const redirect = await fetch(layerUrl('cdn-redirect'), { redirect: 'manual' });
    expect(redirect.status).toBe(307);
    const location = new URL(redirect.headers.get('location') ?? '');
    expect(location.host).not.toBe(mirror.host);
    const followed = Buffer.from(await (await fetch(location)).arrayBuffer());
    expect(sha256(followed)).toBe(lab.alpine.layer);
  });

  it('skopeo copies through the cdn-redirect mirror and refuses the corrupt-blob one', async () => {
    const copy = (variant: 'cdn-redirect' | 'corrupt-blob') =>
      runSkopeo([
        '--insecure-policy',
        'copy',
        '--src-tls-verify=false',
        '--override-os',
        'linux',
        '--override-arch',
        'amd64',
        `docker://${lab.mirror(variant).host}/library/alpine:latest`,
        `dir:${join(scratch, variant)}`,
      ]);
    const [redirected, corrupt] = await Promise.all([copy('cdn-redirect'), copy('corrupt-blob')]);
    expect(redirected.code, redirected.stderr).toBe(0);
    expect(sha256(await readFile(join(scratch, 'cdn-redirect', lab.alpine.layer.replace('sha256:', ''))))).toBe(lab.alpine.layer);
    expect(corrupt.code).not.toBe(0);
    expect(corrupt.stderr).toMatch(/digest/i);
  });

  it('allowlist mirror serves library/alpine but answers 403 for a non-library repository', async () => {
    const mirror = lab.mirror('allowlist');
    expect((await fetchManifest(mirror.url, 'library/alpine', 'latest')).digest).toBe(lab.alpine.index);
    const refused = await fetchManifest(mirror.url, 'mirrorwatch/probe-target', 'latest');
    expect(refused.status).toBe(403);
    expect(refused.body.toString()).toMatch(/DENIED.*not in whitelist/);
    const healthy = await fetchManifest(lab.mirror('healthy').url, 'mirrorwatch/probe-target', 'latest');
    expect(healthy.digest).toBe(lab.probeTarget.index);
  });

  it('tls mirror verifies with its private CA and fails without it', async () => {
    const mirror = lab.mirror('tls');
    expect(mirror.url).toMatch(/^https:/);
    const ca = await readFile(mirror.caPath ?? '', 'utf8');
    expect(await httpsManifestDigest(mirror.url, ca)).toBe(lab.alpine.index);
    await expect(httpsManifestDigest(mirror.url, undefined)).rejects.toThrow(/certificate/i);
  });

  it('skopeo trusts the tls mirror only when given the CA', async () => {
    const mirror = lab.mirror('tls');
    const certDir = join(scratch, 'certs');
    await mkdir(certDir, { recursive: true });
    await copyFile(mirror.caPath ?? '', join(certDir, 'ca.crt'));
    const image = `docker://${mirror.host}/library/alpine:latest`;
    const [trusted, untrusted] = await Promise.all([
      runSkopeo(['inspect', '--raw', '--cert-dir', certDir, image]),
      runSkopeo(['inspect', '--raw', image]),
    ]);
    expect(trusted.code, trusted.stderr).toBe(0);
    expect(sha256(trusted.stdout)).toBe(lab.alpine.index);
    expect(untrusted.code).not.toBe(0);
    expect(untrusted.stderr).toMatch(/x509|certificate/);
  });

  // Declared last: it changes the upstream's alpine for the rest of the file.
  it('stale mirror keeps an older alpine while the healthy mirror follows a new upstream push', async () => {
    const olderIndex = describeSeededImage(buildAlpine(lab.alpine.generation - 1)).index;
    expect((await fetchManifest(lab.mirror('stale').url, 'library/alpine', 'latest')).digest).toBe(olderIndex);
    const previous = lab.alpine;
    const next = await lab.pushNewAlpine();
    expect(next.index).not.toBe(previous.index);
    expect(lab.alpine.index).toBe(next.index);
    expect((await fetchManifest(lab.mirror('healthy').url, 'library/alpine', 'latest')).digest).toBe(next.index);
    expect((await fetchManifest(lab.mirror('stale').url, 'library/alpine', 'latest')).digest).toBe(olderIndex);
  });
});
