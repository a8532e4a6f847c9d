import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOperations } from './openapi-operations.js';
import { FUZZ_ADMIN_TOKEN, startFuzzTarget, type FuzzTarget } from './fuzz-target.js';
import { runFuzz } from './run-fuzz.js';

/**
 * A small seeded run of the REST fuzzer (`npm run fuzz:rest` runs thousands):
 * every operation of docs/openapi.json, no 5xx, every 4xx a JSON error naming
 * the field where the rules say so.
 */
describe('REST fuzzing, seeded', () => {
  let target: FuzzTarget;

  beforeAll(async () => {
    target = await startFuzzTarget();
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it('answers 400 generated requests without a 5xx or a 4xx that does not say what was wrong', async () => {
    const operations = loadOperations(path.resolve(import.meta.dirname, '../../docs/openapi.json'));
    const figures = await runFuzz({
      origin: target.product.origin,
      operations,
      cases: 400,
      seed: 20261130,
      adminToken: FUZZ_ADMIN_TOKEN,
      knownIds: target.knownIds,
      pid: target.product.pid,
    });
    expect(figures.violations.map((v) => `${v.request.method} ${v.request.target}: ${v.problem}: ${v.body}`)).toEqual([]);
    expect(Object.keys(figures.byOperation).length).toBe(operations.length);
    expect(figures.cases).toBeGreaterThan(350);
  }, 120_000);
});
