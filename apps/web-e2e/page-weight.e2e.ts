import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reserveDeadPort, startProduct, type FaultServerHandle, type RunningProduct } from '@mirrorwatch/lab';
import { describePageJs, measurePageJs, totalGzip } from './testing/page-js';

/**
 * The public status page's weight budget (docs/benchmarks/status-page-size.md):
 * at most 250 KB (250,000 bytes) of JavaScript, gzip, for a first load with an
 * empty cache. The page is opened on phones over slow links in China; a chart
 * library or a heavy component slipping into the layout would blow it.
 * Script files do not depend on the data, so two dead mirrors are catalog enough.
 */
const STATUS_PAGE_JS_BUDGET_BYTES = 250_000;

describe('status page weight', () => {
  let product: RunningProduct;
  let workDir: string;
  const deadPorts: FaultServerHandle[] = [];

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), 'mirrorwatch-page-weight-'));
    deadPorts.push(await reserveDeadPort('mirror-a'), await reserveDeadPort('mirror-b'), await reserveDeadPort('reference'));
    const [a, b, reference] = deadPorts;
    const catalogPath = path.join(workDir, 'catalog.yaml');
    await writeFile(catalogPath, `mirrors:\n  - name: Mirror A\n    url: ${a!.url}\n  - name: Mirror B\n    url: ${b!.url}\n`);
    // Never Docker Hub from a test: the reference registry is a dead loopback port too.
    product = await startProduct({ catalogPath, serveWeb: true, env: { REFERENCE_REGISTRY_URL: reference!.url } });
  });

  afterAll(async () => {
    await product?.stop();
    await Promise.allSettled(deadPorts.map((port) => port.stop()));
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it(`loads at most ${STATUS_PAGE_JS_BUDGET_BYTES / 1000} KB of JavaScript (gzip) on /status`, async () => {
    const page = await measurePageJs(product.origin, '/status');
    for (const line of describePageJs(page)) console.log(line);
    expect(page.files.length).toBeGreaterThan(0);
    expect(totalGzip(page)).toBeLessThanOrEqual(STATUS_PAGE_JS_BUDGET_BYTES);
  });
});
