import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { WORKSPACE_ROOT } from './workspace-root.js';
import { loadConfig } from './load-config.js';

const example = readFileSync(path.join(WORKSPACE_ROOT, '.env.example'), 'utf8');
const exampleEntries = [...example.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map(
  ([, name, value]) => [name as string, value as string] as const,
);

describe('.env.example', () => {
  it('lists exactly the variables load-config.ts reads', () => {
    const source = readFileSync(path.join(import.meta.dirname, 'load-config.ts'), 'utf8');
    const schema = source.slice(source.indexOf('const ENV_SCHEMA'), source.indexOf('} as const'));
    const read = [...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map(([, name]) => name);
    expect(exampleEntries.map(([name]) => name).sort()).toEqual(read.sort());
  });

  it('gives every variable a comment line', () => {
    const lines = example.split('\n');
    for (const [name] of exampleEntries) {
      const index = lines.findIndex((line) => line.startsWith(`${name}=`));
      expect(lines[index - 1], name).toMatch(/^# /);
    }
  });

  it('is a valid configuration as written', () => {
    expect(() => loadConfig(Object.fromEntries(exampleEntries) as NodeJS.ProcessEnv)).not.toThrow();
  });
});
