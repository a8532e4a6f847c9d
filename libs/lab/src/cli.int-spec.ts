import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { requireRegistryBinary } from './registry/registry-binary.js';

const CLI = fileURLToPath(new URL('./cli.ts', import.meta.url));

describe('lab CLI', () => {
  let scratch = '';
  afterAll(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('writes the catalog, prints the env line, and stops everything on SIGINT', async () => {
    requireRegistryBinary();
    scratch = await mkdtemp(join(tmpdir(), 'mirrorwatch-lab-cli-'));
    const catalogPath = join(scratch, 'catalog.yaml');
    // tsx runs the source, so the test needs no prior build.
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, '--catalog', catalogPath, '--extras', 'slow'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const deadline = Date.now() + 30_000;
      while (!output.includes('Ctrl-C stops everything') && Date.now() < deadline && child.exitCode === null) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(output).toContain(`MIRRORWATCH_CATALOG=${catalogPath} COVERAGE_IMAGES=`);
      expect(output).toContain('PROBE_INTERVAL_SECONDS=10 npm start');
      const catalog = parse(await readFile(catalogPath, 'utf8')) as { name: string; url: string }[];
      expect(catalog.map((entry) => entry.name)).toEqual([
        'lab healthy',
        'lab token',
        'lab dead',
        'lab hang',
        'lab manifest-503',
        'lab rate-limited',
        'lab slow',
      ]);
      const healthyUrl = catalog[0]?.url ?? '';
      expect((await fetch(`${healthyUrl}/v2/`)).status).toBe(200);

      child.kill('SIGINT');
      expect(await exited).toBe(0);
      await expect(fetch(`${healthyUrl}/v2/`)).rejects.toThrow();
    } finally {
      // SIGTERM, not SIGKILL: the CLI must get to stop its registries even when an assertion failed.
      if (child.exitCode === null) child.kill('SIGTERM');
    }
  });
});
