import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireRegistryBinary, seedAlpine, startProduct, startRegistry, type RegistryHandle, type RunningProduct } from '@mirrorwatch/lab';
import { chromiumForTests, launchChromium, type Browser } from './testing/browser';

/**
 * The "check my mirror" page in chromium against the built product, checking
 * a real registry on loopback (ALLOW_PRIVATE_CHECK_TARGETS, as an intranet
 * deployment would) and showing a refusal for cloud metadata.
 */
const chromiumRequirement = chromiumForTests();

describe.skipIf(chromiumRequirement.skip)(`check page in chromium${chromiumRequirement.label}`, () => {
  let registry: RegistryHandle;
  let product: RunningProduct;
  let browser: Browser;
  let workDir: string;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-check-e2e-'));
    registry = await startRegistry({ name: 'check-page' });
    await seedAlpine(registry.url);
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeFile(catalogPath, 'mirrors: []\n');
    [product, browser] = await Promise.all([
      startProduct({
        catalogPath,
        serveWeb: true,
        probeIntervalSeconds: 60,
        env: { REFERENCE_REGISTRY_URL: registry.url, ALLOW_PRIVATE_CHECK_TARGETS: 'true' },
      }),
      launchChromium(),
    ]);
    browser.context.setDefaultTimeout(25_000);
  });

  afterAll(async () => {
    await browser?.close();
    await product?.stop();
    await registry?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('checks a mirror and shows the verdict, the phase timings and a link that shows the result again', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${product.origin}/check`, { waitUntil: 'networkidle' });
    await page.fill('input[name="url"]', registry.url);
    await page.click('button[type="submit"]');
    await page.waitForSelector('section[data-verdict]');
    expect(await page.getAttribute('section[data-verdict]', 'data-verdict')).toBe('usable');
    const rows = await page.$$eval('section[data-verdict] table.data tbody tr', (trs) =>
      trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim())),
    );
    expect(rows.map(([label]) => label)).toEqual([
      'DNS lookup',
      'TCP connect',
      'TLS handshake',
      '/v2/ (time to first byte)',
      'Token',
      'Manifest',
      'Blob (time to first byte)',
      'Blob transfer',
    ]);
    expect(rows.find(([label]) => label === 'Manifest')?.[1]).toMatch(/^\d+ ms$|^\d+\.\d+ s$/);
    expect(new URL(page.url()).searchParams.get('id')).toMatch(/^[A-Za-z0-9_-]{22}$/);

    await page.reload({ waitUntil: 'networkidle' });
    await page.waitForSelector('section[data-verdict="usable"]');
    expect(await page.textContent('section[data-verdict] h2')).toBe(registry.url);
    await page.close();
  });

  it('shows the refusal for an address the policy never allows', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${product.origin}/check`, { waitUntil: 'networkidle' });
    await page.fill('input[name="url"]', 'http://2852039166');
    await page.click('button[type="submit"]');
    // .notice: Next.js's route announcer is an empty role="alert" too (in a shadow root, which selectors pierce).
    const alert = await page.waitForSelector('.notice[role="alert"]');
    expect(await alert.textContent()).toMatch(/^Refused: 169\.254\.169\.254 resolves to a link-local address/);
    await page.close();
  });

  it('speaks Chinese', async () => {
    const html = await (await fetch(`${product.origin}/check`, { headers: { 'accept-language': 'zh-CN' } })).text();
    expect(html).toContain('检测我的加速器');
    expect(html).toContain('加速器地址');
  });
});
