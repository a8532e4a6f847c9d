import { FAILURE_CLASSES, MIRROR_STATUSES } from '@mirrorwatch/domain';
import { EXPORT_FORMATS } from '@mirrorwatch/api-types';
import { describe, expect, it } from 'vitest';
import { en } from './dictionary-en';
import { zhCN } from './dictionary-zh-cn';
import { formatMessage, placeholdersOf } from './format-message';
import { negotiateLocale, parseAcceptLanguage } from './locale';
import { safeLocalPath } from './safe-local-path';

/** Every leaf of a nested dictionary as `path -> string`. */
function leaves(node: unknown, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  if (node !== null && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      for (const [path, leaf] of leaves(value, prefix ? `${prefix}.${key}` : key)) out.set(path, leaf);
    }
  } else {
    out.set(prefix, node);
  }
  return out;
}

describe('dictionaries', () => {
  const english = leaves(en);
  const chinese = leaves(zhCN);

  it('have the same keys', () => {
    expect([...chinese.keys()].sort()).toEqual([...english.keys()].sort());
  });

  it.each([...english.keys()])('%s is a non-empty string with the same placeholders in both languages', (key) => {
    const a = english.get(key);
    const b = chinese.get(key);
    expect(typeof a).toBe('string');
    expect(typeof b).toBe('string');
    expect((a as string).trim()).not.toBe('');
    expect((b as string).trim()).not.toBe('');
    expect(placeholdersOf(b as string)).toEqual(placeholdersOf(a as string));
  });

  it.each([
    ['failureClass', FAILURE_CLASSES],
    ['status', MIRROR_STATUSES],
    ['exportTarget', EXPORT_FORMATS],
  ] as const)('label every %s value', (section, values) => {
    for (const dictionary of [en, zhCN]) {
      expect(Object.keys(dictionary[section]).sort()).toEqual([...values].sort());
    }
  });
});

describe('negotiateLocale', () => {
  it.each([
    [undefined, null, 'en'],
    [undefined, '', 'en'],
    [undefined, 'zh-CN,zh;q=0.9,en;q=0.8', 'zh-CN'],
    [undefined, 'zh-TW', 'zh-CN'],
    [undefined, 'zh', 'zh-CN'],
    [undefined, 'en-US,en;q=0.9,zh-CN;q=0.8', 'en'],
    [undefined, 'en;q=0.5,zh-Hans-CN;q=0.9', 'zh-CN'],
    [undefined, 'zh;q=0,en', 'en'],
    [undefined, 'zhx', 'en'],
    [undefined, 'ja,zh;q=0.9', 'en'],
    ['en', 'zh-CN', 'en'],
    ['zh-CN', 'en-US', 'zh-CN'],
    ['fr', 'zh-CN', 'zh-CN'],
  ] as const)('cookie %s, Accept-Language %s -> %s', (cookie, header, expected) => {
    expect(negotiateLocale(cookie, header)).toBe(expected);
  });

  it('orders tags by q and keeps header order on ties', () => {
    expect(parseAcceptLanguage('a;q=0.5, b, c;q=0.5, *;q=0.1, d;q=0')).toEqual(['b', 'a', 'c']);
  });
});

describe('formatMessage', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(formatMessage('{n} of {total}, {missing}', { n: 3, total: 'ten' })).toBe('3 of ten, {missing}');
  });
});

describe('safeLocalPath', () => {
  it.each([
    [null, '/'],
    ['', '/'],
    ['/status?x=1', '/status?x=1'],
    ['//evil.example/', '/'],
    ['/\\evil.example', '/'],
    ['https://evil.example/', '/'],
    ['status', '/'],
  ])('%s -> %s', (input, expected) => {
    expect(safeLocalPath(input)).toBe(expected);
  });
});
