import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startScriptSettings } from './start-product.js';

/**
 * The product's memory figures (docs/benchmarks/memory.md, probe-cpu.md) hold
 * only for the settings they were measured with: tests and benchmarks take
 * them from `npm start` through startScriptSettings, and the Docker image
 * must give the same ones.
 */
const root = new URL('../../../../', import.meta.url);
const read = (file: string) => readFileSync(new URL(file, root), 'utf8');

describe('npm start settings', () => {
  it('are read from package.json: environment before node, then node flags', () => {
    const settings = startScriptSettings();
    const script = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts['start'] ?? '';
    const assignments = Object.entries(settings.env).map(([name, value]) => `${name}=${value}`);
    expect(script).toBe([...assignments, 'node', ...settings.nodeFlags, 'apps/api/dist/main.js'].join(' '));
    expect(settings.env['MALLOC_ARENA_MAX']).toBe('2');
  });

  it('are the ones the Docker image runs with', () => {
    const settings = startScriptSettings();
    const dockerfile = read('Dockerfile');
    for (const [name, value] of Object.entries(settings.env)) expect(dockerfile).toMatch(new RegExp(`^ENV ${name}=${value}$`, 'm'));
    const cmd = /^CMD (\[.*\])$/m.exec(dockerfile)?.[1] ?? '[]';
    expect(JSON.parse(cmd)).toEqual(['node', ...settings.nodeFlags, 'apps/api/dist/main.js']);
  });
});
