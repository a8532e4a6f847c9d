import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { launchChromium, type Browser } from './testing/browser';

/**
 * Takes the README screenshots from a running product, in Debian's chromium:
 *
 *   npm run build && node libs/lab/dist/cli.js --start --port 3100 --extras all
 *   # wait until deep probes ran and statuses settled (~90 s), then:
 *   npx tsx apps/web-e2e/take-screenshots.ts http://127.0.0.1:3100
 *
 * A lab with every extra mirror shows each state the pages can draw (slow,
 * stale, corrupt blob, allowlist...), which the e2e suite's smaller lab does not.
 */
const DEFAULT_OUT = fileURLToPath(new URL('../../docs/screenshots/', import.meta.url));
const PHONE = { width: 390, height: 844 };

async function shoot(
  browser: Browser,
  origin: string,
  pathname: string,
  file: string,
  ready: (page: Page) => Promise<unknown>,
  viewport?: { width: number; height: number },
) {
  const page = await browser.context.newPage();
  if (viewport) await page.setViewportSize(viewport);
  await page.goto(`${origin}${pathname}`, { waitUntil: 'networkidle' });
  await ready(page);
  await page.screenshot({ path: file, fullPage: true });
  await page.close();
  console.log(`wrote ${file}`);
}

/** The detail page is most telling for a working mirror whose deep probe verified a blob: the best-ranked such one. */
function detailMirror(mirrors: MirrorSummaryDto[]): MirrorSummaryDto {
  const ranked = [...mirrors].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
  const chosen = ranked.find((mirror) => mirror.lastVerifiedAt !== null && mirror.status === 'up') ?? ranked[0];
  if (!chosen) throw new Error('the product lists no mirror');
  return chosen;
}

async function main(): Promise<void> {
  const origin = (process.argv[2] ?? 'http://127.0.0.1:3000').replace(/\/$/, '');
  const out = path.resolve(process.argv[3] ?? DEFAULT_OUT);
  await mkdir(out, { recursive: true });
  const mirrors = (await (await fetch(`${origin}/api/mirrors`)).json()) as MirrorSummaryDto[];
  const detail = detailMirror(mirrors);
  const tableReady = (page: Page) => page.waitForSelector('table.data tbody tr svg.sparkline');

  const en = await launchChromium({ locale: 'en-US' });
  try {
    await shoot(en, origin, '/', path.join(out, 'ranking.png'), tableReady);
    await shoot(en, origin, `/mirrors/${encodeURIComponent(detail.id)}?window=1h`, path.join(out, 'mirror-detail.png'), (page) =>
      page.waitForSelector('svg.recharts-surface', { timeout: 15_000 }),
    );
    await shoot(en, origin, '/status', path.join(out, 'status.png'), (page) => page.waitForSelector('.status-row'));
    await shoot(en, origin, '/status', path.join(out, 'status-phone.png'), (page) => page.waitForSelector('.status-row'), PHONE);
    await shoot(en, origin, '/export', path.join(out, 'export.png'), (page) => page.waitForSelector('[data-testid="export-preview"]'));
  } finally {
    await en.close();
  }
  // A fresh profile whose Accept-Language is Chinese: the pages negotiate zh-CN without the language cookie.
  const zh = await launchChromium({ locale: 'zh-CN' });
  try {
    await shoot(zh, origin, '/', path.join(out, 'ranking.zh-CN.png'), tableReady);
    await shoot(zh, origin, '/status', path.join(out, 'status.zh-CN.png'), (page) => page.waitForSelector('.status-row'));
  } finally {
    await zh.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
