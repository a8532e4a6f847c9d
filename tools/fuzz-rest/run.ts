/**
 * Property-based REST fuzzing: requests generated from the committed
 * docs/openapi.json (every public and admin operation, nasty path ids, query
 * values, bodies and headers) against the built product on loopback.
 * Passes when no response is a 5xx, every 4xx is a JSON error, every 400-class
 * one names the `field`, and resident memory stays bounded.
 *
 * Usage: npm run fuzz:rest [-- --cases 5000 --seed 1 --out docs/security/rest-fuzz.md]
 * Needs `npm run build`.
 */
import { writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadOperations } from './openapi-operations.js';
import { startFuzzTarget, FUZZ_ADMIN_TOKEN } from './fuzz-target.js';
import { runFuzz } from './run-fuzz.js';
import { renderFuzzReport } from './fuzz-report.js';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '5000' },
    seed: { type: 'string', default: '1' },
    out: { type: 'string', default: '' },
  },
});
const WORKSPACE_ROOT = path.resolve(import.meta.dirname, '../..');
const operations = loadOperations(path.join(WORKSPACE_ROOT, 'docs/openapi.json'));
const target = await startFuzzTarget();
try {
  const figures = await runFuzz({
    origin: target.product.origin,
    operations,
    cases: Number(values.cases),
    seed: Number(values.seed),
    adminToken: FUZZ_ADMIN_TOKEN,
    knownIds: target.knownIds,
    pid: target.product.pid,
  });
  const report = renderFuzzReport(figures, {
    seed: Number(values.seed),
    operations: operations.length,
    machine: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
  });
  console.log(report);
  for (const violation of figures.violations.slice(0, 20)) console.log(JSON.stringify(violation));
  if (values.out) await writeFile(path.resolve(WORKSPACE_ROOT, values.out), report);
  process.exitCode = figures.violations.length === 0 ? 0 : 1;
} finally {
  await target.stop();
}
