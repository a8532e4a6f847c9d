import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
/** Where `@mirrorwatch/probe` resolves to its build (libs/probe/dist), as in the product. */
const WORKSPACE_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * In a process of its own (the test runner's module cache already holds
 * undici), the built library as the API's bundle gets it: which of undici's
 * files are loaded after the import, after the first use, and after a probe.
 */
const SCRIPT = `
import { createRequire } from 'node:module';
const probe = await import('@mirrorwatch/probe');
const cache = createRequire(import.meta.url).cache;
const undiciFiles = () => Object.keys(cache).filter((file) => file.includes('/node_modules/undici/')).length;
const afterImport = undiciFiles();
const core = probe.undiciCore();
const afterFirstUse = undiciFiles();
console.log(JSON.stringify({ afterImport, afterFirstUse, sameOnSecondUse: probe.undiciCore() === core }));
`;

describe('undiciCore', () => {
  it('loads undici on first use, not when the library is imported', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: WORKSPACE_ROOT });
    const loaded = JSON.parse(stdout) as { afterImport: number; afterFirstUse: number; sameOnSecondUse: boolean };
    expect(loaded.afterImport).toBe(0);
    expect(loaded.afterFirstUse).toBeGreaterThan(10);
    expect(loaded.sameOnSecondUse).toBe(true);
  });
});
