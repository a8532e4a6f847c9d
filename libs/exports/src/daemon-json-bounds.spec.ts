import { describe, expect, it } from 'vitest';
import { DAEMON_JSON_MAX_CHARS, DAEMON_JSON_MAX_DEPTH, mergeDaemonJson, renderDaemonJson } from './daemon-json.js';
import { DaemonJsonError, DaemonJsonTooLargeError } from './export-errors.js';

const MIRRORS = ['https://a.example', 'https://b.example', 'https://c.example'];
const mirrorsOnly = renderDaemonJson(MIRRORS).length;

function nested(depth: number, leaf = '0'): string {
  return `${'['.repeat(depth)}${leaf}${']'.repeat(depth)}`;
}

/** The public endpoint's promise: never much more out than came in plus the mirror list. */
function expectBounded(input: string): string {
  const output = mergeDaemonJson(input, MIRRORS);
  expect(output.length).toBeLessThanOrEqual(2 * input.length + mirrorsOnly);
  return output;
}

describe('mergeDaemonJson bounds (issue: 8 KB in, 32 MB out)', () => {
  it.each([
    [
      'wide array at the deepest allowed level',
      `{"a":${nested(DAEMON_JSON_MAX_DEPTH - 1, Array.from({ length: 3000 }, () => '0').join(','))}}`,
    ],
    ['many small arrays a few levels down', `{"a":[${Array.from({ length: 1500 }, () => '[[[[1]]]]').join(',')}]}`],
    ['numbers that grow when re-printed', `{"a":[${Array.from({ length: 2000 }, () => '1e20').join(',')}]}`],
    ['many one-letter keys', `{${Array.from({ length: 4000 }, (_, i) => `"${i}":0`).join(',')}}`],
    ['a repeated key', `{${Array.from({ length: 3000 }, () => '"a":[0]').join(',')}}`],
  ])('%s: output ≤ 2 × input + mirrors, still the same JSON', (_label, input) => {
    const output = expectBounded(input);
    const expected = JSON.parse(input) as Record<string, unknown>;
    expect(JSON.parse(output)).toEqual({ ...expected, 'registry-mirrors': MIRRORS });
  });

  it('an 8 KB body of nested arrays is refused as too deep, with line and column', () => {
    const input = `{"a":${nested(4000)}}`;
    expect(input.length).toBeGreaterThan(8000);
    try {
      mergeDaemonJson(input, MIRRORS);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DaemonJsonError);
      const e = error as DaemonJsonError;
      expect(e.reason).toMatch(`nesting deeper than ${DAEMON_JSON_MAX_DEPTH} levels`);
      expect([e.line, e.column]).toEqual([1, 5 + DAEMON_JSON_MAX_DEPTH + 1 - 1]);
    }
  });

  it.each([
    ['a body of "[" characters', '['.repeat(DAEMON_JSON_MAX_CHARS)],
    ['a body of "{" characters', '{"a":'.repeat(DAEMON_JSON_MAX_CHARS / 5)],
  ])('%s is a syntax error, not a stack overflow', (_label, input) => {
    expect(() => mergeDaemonJson(input, MIRRORS)).toThrow(/nesting deeper than/);
  });

  it('nesting exactly at the limit is accepted and round-trips', () => {
    const input = `{"a":${nested(DAEMON_JSON_MAX_DEPTH - 1)}}`;
    expect(JSON.parse(expectBounded(input))).toEqual({ a: JSON.parse(nested(DAEMON_JSON_MAX_DEPTH - 1)), 'registry-mirrors': MIRRORS });
  });

  it('refuses more than the size cap before reading it', () => {
    expect(() => mergeDaemonJson(`{"a":"${'x'.repeat(DAEMON_JSON_MAX_CHARS)}"}`, MIRRORS)).toThrow(DaemonJsonTooLargeError);
  });

  it('keeps a "__proto__" key as data', () => {
    const output = mergeDaemonJson('{"__proto__":{"x":1},"b":2}', MIRRORS);
    expect(output).toContain('"__proto__": {');
    expect(Object.keys(JSON.parse(output) as object)).toEqual(['__proto__', 'b', 'registry-mirrors']);
  });

  it('keeps the last value of a repeated key in the first place, as JSON.parse does', () => {
    const output = mergeDaemonJson('{"a":1,"b":2,"a":3}', MIRRORS);
    expect(Object.entries(JSON.parse(output) as object)).toEqual([
      ['a', 3],
      ['b', 2],
      ['registry-mirrors', MIRRORS],
    ]);
  });

  it.each([
    ['an escaped key', '{"registry\\u002dmirrors":["https://old.example"]}'],
    ['whitespace around everything', ' \r\n{ "registry-mirrors" :\t[ ] } \n'],
  ])('replaces the mirrors given as %s', (_label, input) => {
    expect(JSON.parse(mergeDaemonJson(input, MIRRORS))).toEqual({ 'registry-mirrors': MIRRORS });
  });
});
