import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorDto, CheckDto, MirrorSummaryDto } from '@mirrorwatch/api-types';
import { requireRegistryBinary, seedAlpine, startProduct, startRegistry, type RegistryHandle, type RunningProduct } from '@mirrorwatch/lab';

/**
 * `POST /api/checks` on the built product against a real registry on
 * loopback. By default the product refuses it (loopback is not public) and
 * every numeric spelling of it; with ALLOW_PRIVATE_CHECK_TARGETS the same
 * registry is checked end to end. The hostile-form matrix with a test
 * resolver (rebinding, names) runs in-process in checks.service.spec.ts.
 */
describe('POST /api/checks, against a real registry', () => {
  let registry: RegistryHandle;
  let publicOnly: RunningProduct;
  let intranet: RunningProduct;
  let workDir: string;
  let alpineDigest: string;

  const post = async (product: RunningProduct, body: unknown) => {
    const response = await fetch(`${product.origin}/api/checks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      retryAfter: response.headers.get('retry-after'),
      body: (await response.json()) as CheckDto & ApiErrorDto,
    };
  };

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-checks-'));
    registry = await startRegistry({ name: 'check-target' });
    alpineDigest = (await seedAlpine(registry.url)).index;
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeFile(catalogPath, 'mirrors: []\n');
    // The registry doubles as the freshness reference so nothing reaches for Docker Hub.
    const env = { REFERENCE_REGISTRY_URL: registry.url };
    [publicOnly, intranet] = await Promise.all([
      startProduct({ catalogPath, probeIntervalSeconds: 60, env }),
      startProduct({ catalogPath, probeIntervalSeconds: 60, env: { ...env, ALLOW_PRIVATE_CHECK_TARGETS: 'true' } }),
    ]);
  });

  afterAll(async () => {
    await Promise.allSettled([publicOnly?.stop(), intranet?.stop()]);
    await registry?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it('refuses a loopback target in any spelling with a 400 naming url, then rate-limits the client', async () => {
    const port = new URL(registry.url).port;
    const spellings = [
      registry.url,
      `http://2130706433:${port}`,
      `http://0x7f.1:${port}`,
      `http://[::ffff:127.0.0.1]:${port}`,
      'http://2852039166',
      `http://localhost:${port}`,
    ];
    for (const url of spellings) {
      const { status, body } = await post(publicOnly, { url });
      expect({ url, status, field: body.field }).toEqual({ url, status: 400, field: 'url' });
      expect(body.message).toMatch(/^url: .*(loopback|link-local).*outbound address policy/);
    }
    // Six checks a minute per client: the seventh is refused whatever its target.
    const seventh = await post(publicOnly, { url: 'https://mirror.example' });
    expect(seventh.status).toBe(429);
    expect(Number(seventh.retryAfter)).toBeGreaterThan(0);
  });

  it('checks the registry when private targets are allowed, keeps the result by id and leaves the catalog alone', async () => {
    const { status, body } = await post(intranet, { url: `${registry.url}/` });
    expect(status).toBe(201);
    expect(body).toMatchObject({
      url: registry.url,
      verdict: 'usable',
      failureClass: null,
      digest: alpineDigest,
      blob: { verified: true },
    });
    for (const phase of ['connectMs', 'pingTtfbMs', 'manifestMs', 'blobTtfbMs'] as const) expect(body.timings[phase]).toBeGreaterThan(0);
    expect(body.durationMs).toBeLessThan(20_000);

    const again = await fetch(`${intranet.origin}/api/checks/${body.id}`);
    expect(await again.json()).toEqual(body);
    expect((await fetch(`${intranet.origin}/api/checks/AAAAAAAAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect(
      ((await (await fetch(`${intranet.origin}/api/mirrors`)).json()) as MirrorSummaryDto[]).map((mirror) => mirror.url),
    ).not.toContain(registry.url);

    // Even here cloud metadata stays out of reach.
    const metadata = await post(intranet, { url: 'http://169.254.169.254' });
    expect({ status: metadata.status, field: metadata.body.field }).toEqual({ status: 400, field: 'url' });
  });
});
