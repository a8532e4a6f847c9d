import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  SPARKLINE_BUCKETS,
  type IssuedAgentTokenDto,
  type MirrorSummaryDto,
  type SparklinesDto,
  type StatusSummaryDto,
  type VantageMatrixDto,
} from '@mirrorwatch/api-types';
import { mirrorIdFromUrl } from '@mirrorwatch/catalog';
import {
  requireRegistryBinary,
  startAgent,
  startLab,
  startProduct,
  writeCatalogFile,
  type Lab,
  type LabVariant,
  type RunningAgent,
  type RunningProduct,
  waitFor,
} from '@mirrorwatch/lab';
// The expected text comes from the dashboard's own formatter; web is an app, so no package exports it.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { formatMs, formatPercent } from '../web/src/format/numbers';
import { chromiumForTests, launchChromium, type Browser } from './testing/browser';

/**
 * The dashboard in a real browser (Debian's chromium) against the built
 * product (API + Next on one port) probing the real lab. The `token` mirror is
 * private: it must not show on any public page. (The screenshots in
 * docs/screenshots come from take-screenshots.ts against a lab with every
 * extra mirror, not from this run.)
 */
const PRIVATE_VARIANT: LabVariant = 'token';
const DOWN_VARIANTS: LabVariant[] = ['dead', 'hang', 'manifest-503', 'rate-limited'];
const ADMIN_TOKEN = 'dashboard-e2e-admin-token';
const chromiumRequirement = chromiumForTests();

describe.skipIf(chromiumRequirement.skip)(`dashboard in chromium${chromiumRequirement.label}`, () => {
  let lab: Lab;
  let product: RunningProduct;
  let browser: Browser;
  let workDir: string;
  let agent: RunningAgent | undefined;
  const id = (variant: LabVariant) => mirrorIdFromUrl(lab.mirror(variant).url);
  const api = async <T>(pathname: string): Promise<T> => (await (await fetch(`${product.origin}${pathname}`)).json()) as T;
  const open = async (pathname: string): Promise<Page> => {
    const page = await browser.context.newPage();
    await page.goto(`${product.origin}${pathname}`, { waitUntil: 'networkidle' });
    return page;
  };

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-e2e-'));
    const [startedLab, startedBrowser] = await Promise.all([startLab(), launchChromium()]);
    lab = startedLab;
    browser = startedBrowser;
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeCatalogFile(
      catalogPath,
      lab.mirrors.map((mirror) => (mirror.variant === PRIVATE_VARIANT ? { ...mirror, visibility: 'private' as const } : mirror)),
    );
    product = await startProduct({ catalogPath, lab, serveWeb: true, probeIntervalSeconds: 5, env: { ADMIN_TOKEN } });
    browser.context.setDefaultTimeout(10_000);
    await browser.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: product.origin });
    // Pages are worth looking at once every public mirror has settled.
    const settled = (mirrors: MirrorSummaryDto[]) => {
      const status = (variant: LabVariant) => mirrors.find((mirror) => mirror.id === id(variant))?.status;
      return status('healthy') === 'up' && DOWN_VARIANTS.every((variant) => status(variant) === 'down');
    };
    await waitFor('every public mirror settled', 60_000, () => api<MirrorSummaryDto[]>('/api/mirrors'), settled, 500);
  });

  afterAll(async () => {
    await agent?.stop();
    await browser?.close();
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  /** The ranking table as the user sees it: one entry per row. */
  const readTable = (page: Page) =>
    page.$$eval('table.data tbody tr', (rows) =>
      rows.map((row) => {
        const cells = [...row.querySelectorAll('td')].map((cell) => cell.textContent?.trim() ?? '');
        return {
          id: row.getAttribute('data-mirror-id') ?? '',
          status: row.getAttribute('data-status') ?? '',
          rank: cells[0],
          freshness: row.querySelector('[data-freshness]')?.getAttribute('data-freshness') ?? '',
          coverage: row.querySelector('[data-coverage]')?.getAttribute('data-coverage') ?? '',
          p50: cells[5],
          success: cells[8],
        };
      }),
    );

  it('ranking page: every public mirror, with the numbers /api/mirrors gives', async () => {
    const page = await open('/');
    await page.waitForSelector('table.data tbody tr');
    // The table polls every 10 s and probes land every 5 s: compare one table read with the API read right after it.
    let mismatch: unknown = 'not compared';
    for (let attempt = 0; attempt < 5 && mismatch !== null; attempt++) {
      const rows = await readTable(page);
      const mirrors = await api<MirrorSummaryDto[]>('/api/mirrors');
      const expected = mirrors.map((mirror) => ({
        id: mirror.id,
        status: mirror.status,
        rank: mirror.rank === null ? '—' : String(mirror.rank),
        freshness: mirror.freshness,
        coverage: mirror.coverage.verdict,
        p50: formatMs(mirror.latencyMs),
        success: formatPercent(mirror.successRate24h),
      }));
      const sortedRows = [...rows].sort((a, b) => a.id.localeCompare(b.id));
      const sortedExpected = [...expected].sort((a, b) => a.id.localeCompare(b.id));
      mismatch = JSON.stringify(sortedRows) === JSON.stringify(sortedExpected) ? null : { rows: sortedRows, expected: sortedExpected };
      if (mismatch !== null) await page.reload({ waitUntil: 'networkidle' });
    }
    expect(mismatch).toBeNull();
    const ids = (await readTable(page)).map((row) => row.id);
    expect(ids).not.toContain(id(PRIVATE_VARIANT));
    expect(await page.content()).not.toContain(lab.mirror(PRIVATE_VARIANT).url);
    await page.close();
  });

  it('ranking page: a 24 h sparkline per mirror, drawn from /api/sparklines, labelled for screen readers', async () => {
    const page = await open('/');
    const sparklines = await api<SparklinesDto>('/api/sparklines');
    const drawn = await page.$$eval('table.data tbody tr', (rows) =>
      rows.map((row) => {
        const svg = row.querySelector('svg.sparkline[role="img"]');
        return {
          id: row.getAttribute('data-mirror-id') ?? '',
          label: svg?.getAttribute('aria-label') ?? '',
          title: svg?.querySelector('title')?.textContent ?? '',
          cells: svg?.querySelectorAll('rect.spark-cell').length ?? 0,
          grades: [...(svg?.querySelectorAll('rect.spark-cell') ?? [])].map((cell) => cell.getAttribute('class') ?? ''),
          line: svg?.querySelector('path.spark-line, circle.spark-dot') !== null,
        };
      }),
    );
    expect(drawn.map((row) => row.id).sort()).toEqual(Object.keys(sparklines).sort());
    for (const row of drawn) {
      expect(row.cells, row.id).toBe(SPARKLINE_BUCKETS);
      expect(row.label, row.id).not.toBe('');
      expect(row.title).toBe(row.label);
    }
    const healthy = drawn.find((row) => row.id === id('healthy'));
    expect(healthy?.line).toBe(true);
    expect(healthy?.label).toMatch(/manifest p50 from \d+ ms to \d+ ms; worst hour 100\.00% of probes succeeded/);
    expect(healthy?.grades.at(-1)).toContain('spark-good');
    const hang = drawn.find((row) => row.id === id('hang'));
    expect(hang?.line).toBe(false);
    expect(hang?.grades.at(-1)).toContain('spark-bad');
    await page.close();
  });

  it('ranking page: the status filter and a column sort work in place', async () => {
    const page = await open('/');
    await page.waitForSelector('table.data tbody tr');
    await page.click('.filter-group a.chip:has-text("Down")');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('table.data tbody tr')].every((row) => row.getAttribute('data-status') === 'down'),
    );
    const down = await readTable(page);
    expect(down.map((row) => row.id).sort()).toEqual(DOWN_VARIANTS.map(id).sort());
    expect(page.url()).toContain('status=down');

    await page.click('.filter-group a.chip:has-text("All")');
    await page.click('th a.sort-link:has-text("Mirror")');
    await page.waitForFunction(() => document.querySelector('th[aria-sort="ascending"]')?.textContent?.includes('Mirror') === true);
    const names = await page.$$eval('table.data tbody tr td:nth-child(3) a', (links) => links.map((link) => link.textContent ?? ''));
    expect(names.length).toBe(lab.mirrors.length - 1);
    expect(names).toEqual([...names].sort((a, b) => a.toLocaleLowerCase().localeCompare(b.toLocaleLowerCase())));
    await page.click('th a.sort-link:has-text("Mirror")');
    await page.waitForFunction(() => document.querySelector('th[aria-sort="descending"]') !== null);
    const reversed = await page.$$eval('table.data tbody tr td:nth-child(3) a', (links) => links.map((link) => link.textContent ?? ''));
    expect(reversed).toEqual([...names].reverse());
    await page.close();
  });

  it('mirror detail page: summary, uptime cells and charts for a public mirror', async () => {
    const page = await open(`/mirrors/${id('healthy')}?window=1h`);
    expect(await page.textContent('h1')).toContain(lab.mirror('healthy').name);
    // One availability cell per 1-minute bucket of the 1h history.
    expect(await page.$$('section[aria-labelledby="uptime-heading"] [role="listitem"]')).toHaveLength(60);
    await page.waitForSelector('svg.recharts-surface', { timeout: 15_000 });
    // The freshness figures are the API's, in full.
    const mirror = await api<MirrorSummaryDto>(`/api/mirrors/${id('healthy')}`);
    expect(await page.getAttribute('[data-testid="stat-freshness"] [data-freshness]', 'data-freshness')).toBe(mirror.freshness);
    expect(await page.textContent('[data-testid="served-digest"]')).toBe(mirror.lastDigest);
    expect(await page.textContent('[data-testid="reference-digest"]')).toBe(mirror.referenceDigest);
    expect(mirror.lastDigest).toBe(lab.alpine.index);
    expect(await page.textContent('[data-testid="digest-comparison"]')).toContain('Matches the reference');
    await page.close();
    const hidden = await browser.context.newPage();
    const response = await hidden.goto(`${product.origin}/mirrors/${id(PRIVATE_VARIANT)}`);
    expect(response?.status()).toBe(404);
    await hidden.close();
  });

  it('status page: public mirrors with 90 cells each, the private one absent; phone layout', async () => {
    const summary = await api<StatusSummaryDto>('/api/status');
    const page = await open('/status');
    const rows = await page.$$eval('.status-row', (elements) => elements.map((element) => element.getAttribute('data-mirror-id')));
    expect(rows.sort()).toEqual(summary.mirrors.map((mirror) => mirror.id).sort());
    expect(rows).not.toContain(id(PRIVATE_VARIANT));
    expect(rows).toHaveLength(lab.mirrors.length - 1);
    const text = (await page.textContent('main')) ?? (await page.textContent('body')) ?? '';
    expect(text).not.toContain(lab.mirror(PRIVATE_VARIANT).name);
    expect(await page.content()).not.toContain(lab.mirror(PRIVATE_VARIANT).url);
    expect(await page.getAttribute('[role="status"][data-overall]', 'data-overall')).toBe(summary.overall);
    // Phone width: no horizontal scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.close();
  });

  it('export page: the copy button copies the curl line', async () => {
    const page = await open('/export');
    const curl = (await page.textContent('[data-testid="export-curl"]')) ?? '';
    expect(curl).toContain(`${product.origin}/api/export/daemon-json?count=3`);
    await page.click('[data-testid="export-curl"] + button');
    // The label says "Copied" for 2 s after a successful copy: the user's only sign that it worked.
    await page.waitForSelector('[data-testid="export-curl"] + button:has-text("Copied")', { timeout: 5_000 });
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(curl);
    const preview = (await page.textContent('[data-testid="export-preview"]')) ?? '';
    expect(JSON.parse(preview)).toEqual(await api('/api/recommended-daemon.json?count=3'));
    await page.close();
  });

  /** The URL inside the page's one-liner: what a user would download. */
  const curlUrl = async (page: Page): Promise<string> => {
    const match = /'([^']+)'/.exec((await page.textContent('[data-testid="export-curl"]')) ?? '');
    if (!match?.[1]) throw new Error('no URL in the curl line');
    return match[1];
  };

  it.each(EXPORT_FORMATS)('export page: picking %s previews exactly what its endpoint serves', async (format) => {
    const page = await open(format === 'daemon-json' ? '/export?format=install-sh' : '/export');
    const shown = (pathPart: string) =>
      page.waitForResponse((response) => response.url().includes(pathPart) && response.request().resourceType() === 'fetch', {
        timeout: 10_000,
      });
    if (format === 'http-proxy-conf') {
      // Without a proxy the page asks for one instead of showing the API's 400.
      await page.selectOption('select[name="format"]', format);
      await page.waitForSelector('[data-testid="export-needs-proxy"]');
      await Promise.all([shown('httpProxy='), page.fill('input[name="proxy"]', 'http://proxy.lab.example:3128')]);
    } else {
      await Promise.all([shown(`/api/export/${format}?`), page.selectOption('select[name="format"]', format)]);
    }
    // The recommendation can move between two reads; compare until one pair agrees (it settles within a probe cycle).
    let last: { preview: string; served: string } = { preview: '', served: '' };
    for (let attempt = 0; attempt < 3; attempt++) {
      const preview = (await (await page.waitForSelector('[data-testid="export-preview"]')).textContent()) ?? '';
      const response = await fetch(await curlUrl(page));
      expect(response.status).toBe(200);
      last = { preview, served: await response.text() };
      if (last.preview === last.served) break;
      await page.reload({ waitUntil: 'networkidle' });
    }
    expect(last.preview).not.toBe('');
    expect(last.preview).toBe(last.served);
    if (format === 'http-proxy-conf') expect(last.preview).toContain('HTTP_PROXY=http://proxy.lab.example:3128');
    await page.close();
  });

  it('find an image: the form asks the public mirrors and shows who serves it, with the digest; private mirrors are not asked', async () => {
    const page = await open('/images');
    await page.fill('input[name="image"]', 'alpine');
    await Promise.all([page.waitForURL(/\/images\?image=alpine/), page.click('form button[type="submit"]')]);
    await page.waitForSelector('[data-testid="image-lookup"]', { timeout: 30_000 });
    const rows = await page.$$eval('[data-testid="image-lookup"] tbody tr', (trs) =>
      trs.map((tr) => ({ served: tr.getAttribute('data-served'), text: tr.textContent ?? '' })),
    );
    const healthy = rows.find((row) => row.text.includes(lab.mirror('healthy').url));
    expect(healthy).toMatchObject({ served: 'true' });
    expect(healthy?.text).toContain(lab.alpine.index);
    expect(rows.find((row) => row.text.includes(lab.mirror('dead').url))).toMatchObject({ served: 'false' });
    expect(rows.some((row) => row.text.includes(lab.mirror(PRIVATE_VARIANT).url))).toBe(false);
    await page.close();
  }, 60_000);

  it('export page: shows the expected manifest time per pull and the recommended length from the export headers', async () => {
    const page = await open('/export');
    const cost = (await page.textContent('[data-testid="export-cost"]')) ?? '';
    // The figures move with every probe cycle: check their form and range rather than one read against another.
    const [, ms, length] = /: (\d+) ms,.*Recommended length: (\d+)/.exec(cost) ?? [];
    expect(Number(ms), cost).toBeGreaterThan(0);
    expect(Number(length), cost).toBeGreaterThanOrEqual(1);
    expect(Number(length), cost).toBeLessThanOrEqual(10);
    await page.close();
  });

  it('language switch: zh-CN and back to en', async () => {
    const page = await open('/status');
    expect(await page.textContent('h1')).toBe('Mirror status');
    await Promise.all([page.waitForURL(/\/status/), page.click('a[lang="zh-CN"]')]);
    expect(await page.textContent('h1')).toBe('加速器状态');
    expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
    await Promise.all([page.waitForURL(/\/status/), page.click('a[lang="en"]')]);
    expect(await page.textContent('h1')).toBe('Mirror status');
    await page.close();
  });

  it('vantages page: mirrors x vantages as /api/vantages/matrix has them, the quorum in words in both languages', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' };
    const created = await fetch(`${product.origin}/api/admin/vantages`, { method: 'POST', headers: admin, body: '{"id":"e2e-remote"}' });
    expect(created.status).toBe(201);
    const { token } = (await (
      await fetch(`${product.origin}/api/admin/vantages/e2e-remote/tokens`, { method: 'POST', headers: admin, body: '{}' })
    ).json()) as IssuedAgentTokenDto;
    agent = startAgent({ server: product.origin, token, spoolPath: path.join(workDir, 'e2e-remote.spool') });
    const cell = (matrix: VantageMatrixDto, variant: LabVariant, vantage: string) =>
      matrix.mirrors.find((row) => row.id === id(variant))?.cells.find((entry) => entry.vantage === vantage)?.status;
    const remoteCells = (matrix: VantageMatrixDto) => [cell(matrix, 'healthy', 'e2e-remote'), cell(matrix, 'dead', 'e2e-remote')];
    const read = () => api<VantageMatrixDto>('/api/vantages/matrix');
    const matrix = await waitFor("the agent's verdicts", 60_000, read, (seen) => remoteCells(seen).join() === 'up,down', 500);
    expect(remoteCells(matrix)).toEqual(['up', 'down']);

    const page = await open('/vantages');
    expect(await page.$$eval('table.vantage-matrix thead th', (cells) => cells.slice(1).map((c) => c.textContent?.trim()))).toEqual([
      'local',
      'e2e-remote',
    ]);
    const rows = await page.$$eval('table.vantage-matrix tbody tr', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute('data-mirror') ?? '',
        cells: Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.vantage, td.dataset.status])),
      })),
    );
    // Every public mirror, the private one absent; the settled ones show what each network sees.
    expect(rows.map((row) => row.id).sort()).toEqual(matrix.mirrors.map((row) => row.id).sort());
    expect(rows.map((row) => row.id)).not.toContain(id(PRIVATE_VARIANT));
    expect(rows.find((row) => row.id === id('healthy'))?.cells).toEqual({ local: 'up', 'e2e-remote': 'up' });
    expect(rows.find((row) => row.id === id('dead'))?.cells).toEqual({ local: 'down', 'e2e-remote': 'down' });
    // DOWN_QUORUM is 1 here: one vantage decides, said without "1 vantages".
    expect(await page.textContent('[data-quorum]')).toBe('The status page calls a mirror down as soon as one vantage sees it down.');
    expect(await page.textContent('main')).toContain('recommended-daemon.json?vantage=e2e-remote');
    await Promise.all([page.waitForURL(/\/vantages/), page.click('a[lang="zh-CN"]')]);
    expect(await page.textContent('[data-quorum]')).toBe('任一观测点判定不可用，状态页即显示"不可用"。');
    await Promise.all([page.waitForURL(/\/vantages/), page.click('a[lang="en"]')]);
    await page.close();
  });
});
