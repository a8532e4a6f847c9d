import { describe, expect, it } from 'vitest';
import { mergeDaemonJson } from './daemon-json.js';
import { DaemonJsonError } from './export-errors.js';
import { expectGolden, SAMPLE_MIRRORS, SAMPLE_NORMALIZED } from './testing/golden.fixture.js';

const DOCKER_DESKTOP = `{
  "builder": {
    "gc": {
      "defaultKeepStorage": "20GB",
      "enabled": true
    }
  },
  "experimental": false,
  "registry-mirrors": ["https://old.example"],
  "features": { "buildkit": true }
}`;

describe('mergeDaemonJson', () => {
  it('keeps every other key, in place, and replaces the mirrors (golden)', () => {
    const merged = mergeDaemonJson(DOCKER_DESKTOP, SAMPLE_MIRRORS);
    expectGolden('daemon.merged.json', merged);
    const parsed = JSON.parse(merged) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['builder', 'experimental', 'registry-mirrors', 'features']);
    expect(parsed).toEqual({ ...JSON.parse(DOCKER_DESKTOP), 'registry-mirrors': SAMPLE_NORMALIZED });
  });

  it.each([
    ['empty file', ''],
    ['blank file', ' \n\t\n'],
    ['empty object', '{}'],
    ['BOM', '\uFEFF{}'],
  ])('%s becomes an object with only the mirrors', (_label, text) => {
    expect(JSON.parse(mergeDaemonJson(text, ['https://a.example']))).toEqual({ 'registry-mirrors': ['https://a.example'] });
  });

  it('appends the key when absent', () => {
    const merged = JSON.parse(mergeDaemonJson('{"log-driver":"json-file"}', ['https://a.example'])) as object;
    expect(Object.keys(merged)).toEqual(['log-driver', 'registry-mirrors']);
  });

  it.each([
    ['trailing comma', '{\n  "a": 1,\n}', 3, 1, /trailing comma/],
    ['missing comma', '{\n  "a": 1\n  "b": 2\n}', 3, 3, /expected "," or "}"/],
    ['single quotes', "{'a': 1}", 1, 2, /expected a quoted key/],
    ['comment', '{\n  // mirrors\n  "a": 1\n}', 2, 3, /expected a quoted key/],
    ['unterminated', '{"a": "b', 1, 9, /unterminated string/],
    ['truncated', '{"a": ', 1, 7, /unexpected end of input/],
    ['garbage after', '{} x', 1, 4, /after the end/],
    ['bare word', 'registry-mirrors', 1, 1, /unexpected "r"/],
  ])('%s: line and column', (_label, text, line, column, reason) => {
    try {
      mergeDaemonJson(text, ['https://a.example']);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(DaemonJsonError);
      const e = error as DaemonJsonError;
      expect([e.line, e.column]).toEqual([line, column]);
      expect(e.reason).toMatch(reason);
      expect(e.message).toContain(`line ${line}, column ${column}`);
    }
  });

  it.each([
    ['array', '[]', /found an array/],
    ['null', 'null', /found null/],
    ['string', '"x"', /found a string/],
  ])('rejects a top-level %s', (_label, text, reason) => {
    expect(() => mergeDaemonJson(text, [])).toThrow(DaemonJsonError);
    expect(() => mergeDaemonJson(text, [])).toThrow(reason);
  });
});
