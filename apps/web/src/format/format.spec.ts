import { describe, expect, it } from 'vitest';
import { en } from '../i18n/dictionary-en';
import { formatMs, formatPercent, formatThroughput, shortDigest } from './numbers';
import { formatAge, formatDuration, formatUtc } from './time';
import { gradeUptime } from './uptime-grade';

describe('formatMs', () => {
  it.each([
    [null, '—'],
    [Number.NaN, '—'],
    [0, '0 ms'],
    [84.4, '84 ms'],
    [999.4, '999 ms'],
    [1000, '1.00 s'],
    [1274, '1.27 s'],
  ])('%s -> %s', (input, expected) => {
    expect(formatMs(input)).toBe(expected);
  });
});

describe('formatThroughput', () => {
  it.each([
    [null, '—'],
    [-1, '—'],
    [512, '512 B/s'],
    [1536, '1.50 KiB/s'],
    [1024 * 1024 * 12.34, '12.3 MiB/s'],
    [1024 * 1024 * 512, '512 MiB/s'],
    [1024 ** 3 * 2, '2.00 GiB/s'],
  ])('%s -> %s', (input, expected) => {
    expect(formatThroughput(input)).toBe(expected);
  });
});

describe('formatPercent', () => {
  it.each([
    [null, '—'],
    [1, '100.00%'],
    [0.99996, '99.99%'],
    [0.5, '50.00%'],
    [0, '0.00%'],
    [1.2, '100.00%'],
    [0.123456, '12.34%'],
  ])('%s -> %s', (input, expected) => {
    expect(formatPercent(input)).toBe(expected);
  });
});

describe('shortDigest', () => {
  it('shortens sha256 digests and keeps short ones', () => {
    expect(shortDigest(`sha256:${'a'.repeat(64)}`)).toBe(`sha256:${'a'.repeat(12)}…`);
    expect(shortDigest('sha256:abc')).toBe('sha256:abc');
    expect(shortDigest(null)).toBe('—');
  });
});

describe('formatAge', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  it.each([
    [null, 'never'],
    ['not a date', 'never'],
    ['2025-01-01T12:00:00Z', 'just now'],
    ['2025-01-01T12:00:05Z', 'just now'], // clock skew: a probe "in the future" is just now
    ['2025-01-01T11:59:48Z', '12 s ago'],
    ['2025-01-01T11:58:01Z', '119 s ago'],
    ['2025-01-01T11:55:00Z', '5 min ago'],
    ['2025-01-01T09:00:00Z', '3 h ago'],
    ['2025-01-01T00:00:00Z', '12 h ago'],
    ['2024-12-29T12:00:00Z', '3 d ago'],
  ])('%s -> %s', (iso, expected) => {
    expect(formatAge(iso, now, en.age)).toBe(expected);
  });
});

describe('formatUtc and formatDuration', () => {
  it('prints UTC regardless of the machine time zone', () => {
    expect(formatUtc('2025-03-04T05:06:07.890+08:00')).toBe('2025-03-03 21:06 UTC');
    expect(formatUtc('2025-03-04T05:06:07Z', true)).toBe('2025-03-04 05:06:07 UTC');
    expect(formatUtc(null)).toBe('—');
  });
  it.each([
    ['2025-01-01T00:00:00Z', '2025-01-01T00:42:00Z', '42 min'],
    ['2025-01-01T00:00:00Z', '2025-01-01T02:05:00Z', '2 h 5 min'],
    ['2025-01-01T00:00:00Z', '2025-01-03T03:00:00Z', '2 d 3 h'],
    ['2025-01-01T00:00:00Z', null, '1 h 0 min'],
  ])('%s .. %s -> %s', (start, end, expected) => {
    expect(formatDuration(start, end, Date.parse('2025-01-01T01:00:00Z'))).toBe(expected);
  });
});

describe('gradeUptime', () => {
  it.each([
    [0, 0, 'none'],
    [1440, 1440, 'good'],
    [1430, 1440, 'good'],
    [1300, 1440, 'warn'],
    [10, 1440, 'bad'],
  ] as const)('%i/%i -> %s', (successes, probes, expected) => {
    expect(gradeUptime(successes, probes)).toBe(expected);
  });
});
