import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { flushableTopLevel } from './flushable-top-level.mjs';

const scratch = mkdtempSync(path.join(tmpdir(), 'mirrorwatch-flushable-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A module as esbuild writes one: imports between statements, a function declaration used before it stands, top-level `this`. */
const MODULE = `const seen = [];
seen.push(typeof this);
import { basename } from 'node:path';
seen.push(hoisted());
function hoisted() { return 'hoisted'; }
import { EventEmitter } from 'node:events';
class Named extends EventEmitter {}
seen.push(basename(new URL(import.meta.url).pathname), new Named().constructor.name);
console.log(JSON.stringify(seen));
`;

/** Run by node itself: the test runner's module loader would transform the module (and its `this`). */
async function evaluate(name: string, source: string): Promise<unknown> {
  const file = path.join(scratch, `${name}.mjs`);
  writeFileSync(file, source);
  const { stdout } = await promisify(execFile)(process.execPath, [file]);
  return JSON.parse(stdout) as unknown;
}

describe('flushableTopLevel', () => {
  it('puts the imports first and the rest in a function called once', () => {
    const wrapped = flushableTopLevel(MODULE);
    expect(wrapped.startsWith("import { basename } from 'node:path';\nimport { EventEmitter } from 'node:events';\n(() => {\n")).toBe(true);
    expect(wrapped.trimEnd().endsWith('})();')).toBe(true);
    expect(wrapped.match(/^import /gm)).toHaveLength(2);
  });

  it('runs the same as the module it wraps', async () => {
    const original = await evaluate('original', MODULE);
    const wrapped = await evaluate('wrapped', flushableTopLevel(MODULE));
    expect(original).toEqual(['undefined', 'hoisted', 'original.mjs', 'Named']);
    expect(wrapped).toEqual(['undefined', 'hoisted', 'wrapped.mjs', 'Named']);
  });

  it('refuses a module that exports', () => {
    expect(() => flushableTopLevel('export const answer = 42;\n')).toThrow(/exports/);
    expect(() => flushableTopLevel("export * from 'node:path';\n")).toThrow(/exports/);
  });

  it('refuses a top-level await, which cannot run inside a plain function', () => {
    expect(() => flushableTopLevel("import { setTimeout } from 'node:timers/promises';\nawait setTimeout(1);\n")).toThrow(
      /top-level await/,
    );
  });
});
