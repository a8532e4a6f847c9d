import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatusSummaryDto } from '@mirrorwatch/api-types';
import { mirrorIdFromUrl } from '@mirrorwatch/catalog';
import {
  requireRegistryBinary,
  startLab,
  startProduct,
  writeCatalogFile,
  type Lab,
  type LabVariant,
  type RunningProduct,
  waitFor,
} from '@mirrorwatch/lab';

/**
 * The page cache in front of the dashboard, on the built product (API + Next
 * on one port) probing the real lab: what is kept, for whom, and when it is
 * rendered. Plain HTTP, no browser (dashboard.e2e.ts has the pages in
 * Chromium). The `token` mirror is private: no kept page may show it.
 */
const PRIVATE_VARIANT: LabVariant = 'token';
const ADMIN_TOKEN = 'page-cache-e2e-admin-token';

describe('page cache in front of the dashboard', () => {
  let lab: Lab;
  let product: RunningProduct;
  let workDir: string;
  const id = (variant: LabVariant) => mirrorIdFromUrl(lab.mirror(variant).url);
  const api = async <T>(pathname: string): Promise<T> => (await (await fetch(`${product.origin}${pathname}`)).json()) as T;

  beforeAll(async () => {
    requireRegistryBinary();
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-page-cache-e2e-'));
    lab = await startLab();
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeCatalogFile(
      catalogPath,
      lab.mirrors.map((mirror) => (mirror.variant === PRIVATE_VARIANT ? { ...mirror, visibility: 'private' as const } : mirror)),
    );
    product = await startProduct({ catalogPath, lab, serveWeb: true, probeIntervalSeconds: 5, env: { ADMIN_TOKEN } });
    // The pages carry results once the first cycle has stored some.
    await waitFor(
      'a first probe cycle',
      60_000,
      () => api<StatusSummaryDto>('/api/status'),
      (status) => status.lastCheckedAt !== null,
      500,
    );
  });

  afterAll(async () => {
    await product?.stop();
    await lab?.stop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('pages are rendered once per data generation: one ETag and 304s until new results are stored, locales apart, admin headers never reach a kept page', async () => {
    const get = (pathname: string, headers: Record<string, string> = {}) => fetch(`${product.origin}${pathname}`, { headers });
    const en = { cookie: 'mw-lang=en' };
    // A probe cycle may end between two requests (every 5 s here): then the pair is taken again.
    let revalidated = 0;
    let etag = '';
    for (let attempt = 0; attempt < 5 && revalidated === 0; attempt++) {
      const first = await get('/status', en);
      expect(first.status).toBe(200);
      expect(first.headers.get('cache-control')).toBe('private, no-cache');
      etag = first.headers.get('etag') ?? '';
      expect(etag).toMatch(/^"[\w-]{27}"$/);
      if ((await get('/status', { ...en, 'if-none-match': etag })).status === 304) revalidated += 1;
    }
    expect(revalidated).toBe(1);

    const zh = await get('/status', { cookie: 'mw-lang=zh-CN' });
    expect(await zh.text()).toContain('<html lang="zh-CN"');
    expect(zh.headers.get('etag')).not.toBe(etag);
    expect(await (await get('/status', en)).text()).toContain('<html lang="en"');

    // Whatever a visitor holds (the admin token, other cookies), the kept pages are the public ones.
    const privateMirror = lab.mirror(PRIVATE_VARIANT);
    for (const headers of [{ authorization: `Bearer ${ADMIN_TOKEN}` }, { cookie: `admin=${ADMIN_TOKEN}; mw-lang=en` }, en]) {
      for (const pathname of ['/', '/status']) {
        const body = await (await get(pathname, headers)).text();
        expect(body).not.toContain(privateMirror.url);
        expect(body).not.toContain(id(PRIVATE_VARIANT));
      }
    }

    // A probe cycle stores new results: the kept page may answer while the new one renders in the background
    // (stale-while-revalidate), then a new page is served, not a 304.
    const checkedBefore = (await api<StatusSummaryDto>('/api/status')).lastCheckedAt;
    const status = () => api<StatusSummaryDto>('/api/status');
    await waitFor('new results', 60_000, status, (now) => now.lastCheckedAt !== checkedBefore);
    const revalidate = () => get('/status', { ...en, 'if-none-match': etag });
    const after = await waitFor('the new page', 10_000, revalidate, (answer) => answer.status !== 304);
    expect(after.status).toBe(200);
    expect(after.headers.get('etag')).not.toBe(etag);
  });

  it('pages are rendered ahead of visitors only after visitors asked for them: a page nobody opens is not rendered again', async () => {
    const aheadRenders = async () => {
      const exposition = await (await fetch(`${product.origin}/metrics`)).text();
      return Number(/^mirrorwatch_page_renders_total\{trigger="generation"\} (\d+)$/m.exec(exposition)?.[1] ?? 0);
    };
    const newResults = async () => {
      const before = (await api<StatusSummaryDto>('/api/status')).lastCheckedAt;
      await waitFor(
        'new results',
        60_000,
        () => api<StatusSummaryDto>('/api/status'),
        (now) => now.lastCheckedAt !== before,
      );
    };
    // The pages earlier cases asked for are rendered ahead once more: wait until two cycles pass without a render.
    let before = await aheadRenders();
    for (let round = 0; round < 5; round++) {
      await newResults();
      await newResults();
      const now = await aheadRenders();
      if (now === before) break;
      before = now;
    }
    expect((await fetch(`${product.origin}/status`, { headers: { cookie: 'mw-lang=zh-CN' } })).status).toBe(200);
    // A visitor asked for the page: once new results are stored it is rendered before the next visitor comes.
    await newResults();
    const afterVisit = await waitFor('a render ahead of the next visitor', 30_000, aheadRenders, (count) => count > before);
    // Nobody asks again: cycle after cycle stores results, and nothing more is rendered ahead.
    await newResults();
    await newResults();
    expect(await aheadRenders()).toBe(afterVisit);
    // Up to a dozen probe cycles of 5 s, slower on a loaded machine.
  }, 240_000);
});
