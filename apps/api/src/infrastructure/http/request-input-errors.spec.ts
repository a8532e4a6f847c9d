import { describe, expect, it } from 'vitest';
import { fieldPath } from './field-path.js';
import { refuseLoneSurrogates } from './request-input-errors.js';

const parse = (text: string): unknown => JSON.parse(text, refuseLoneSurrogates);

describe('refuseLoneSurrogates (the JSON body reviver)', () => {
  it('keeps well-formed text, pairs escaped or not', () => {
    expect(parse('{"name":"镜像 \\ud83d\\ude80 🚀","n":[1,"a"]}')).toEqual({ name: '镜像 🚀 🚀', n: [1, 'a'] });
  });

  it.each([
    [
      'a lone high surrogate in a value (found by the REST fuzzer: a 500 from the driver)',
      '{"name":"\\ud800"}',
      /"name" is not valid Unicode/,
    ],
    ['a lone low surrogate inside an array', '{"list":["ok","x\\udc00y"]}', /not valid Unicode/],
    ['a reversed pair', '{"notes":"\\ude00\\ud83d"}', /"notes" is not valid Unicode/],
    ['a lone surrogate in a key', '{"\\ud800":1}', /object key is not valid Unicode/],
  ])('refuses %s', (_label, text, message) => {
    expect(() => parse(text)).toThrow(message);
  });
});

describe('fieldPath', () => {
  it('names nested fields and never returns an empty name', () => {
    expect(fieldPath(['results', 3, 'timings', 'dnsMs'])).toBe('results[3].timings.dnsMs');
    expect(fieldPath([''])).toBe('""');
    expect(fieldPath(['channels', 0, ''])).toBe('channels[0].""');
  });
});
