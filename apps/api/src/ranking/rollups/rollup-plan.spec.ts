import { describe, expect, it } from 'vitest';
import { dayStarts, nextRollupAt, rollupStart } from './rollup-plan.js';

describe('nextRollupAt', () => {
  it.each([
    ['2026-03-01T10:00:00.000Z', '2026-03-01T10:02:00.000Z'],
    ['2026-03-01T10:01:59.999Z', '2026-03-01T10:02:00.000Z'],
    ['2026-03-01T10:02:00.000Z', '2026-03-01T11:02:00.000Z'],
    ['2026-03-01T23:59:00.000Z', '2026-03-02T00:02:00.000Z'],
  ])('at %s the next run is %s', (now, expected) => {
    expect(nextRollupAt(new Date(now)).toISOString()).toBe(expected);
  });
});

describe('rollupStart', () => {
  const now = new Date('2026-03-10T15:02:00Z');
  it.each([
    ['2026-03-10T13:00:00Z', '2026-01-01T00:00:00Z', '2026-03-10T13:00:00.000Z'],
    [null, '2026-01-01T08:30:00Z', '2026-01-01T08:30:00.000Z'],
    [null, null, '2026-03-10T15:02:00.000Z'],
  ])('newest hourly %s, oldest raw %s: start at %s', (newest, oldest, expected) => {
    expect(rollupStart(newest ? new Date(newest) : null, oldest ? new Date(oldest) : null, now).toISOString()).toBe(expected);
  });
});

describe('dayStarts', () => {
  it('runs from the day containing from through the day containing now', () => {
    const days = dayStarts(new Date('2026-03-08T22:00:00Z'), new Date('2026-03-10T01:00:00Z'));
    expect(days.map((day) => day.toISOString())).toEqual([
      '2026-03-08T00:00:00.000Z',
      '2026-03-09T00:00:00.000Z',
      '2026-03-10T00:00:00.000Z',
    ]);
  });
  it('is today alone when from is now', () => {
    expect(dayStarts(new Date('2026-03-10T05:00:00Z'), new Date('2026-03-10T05:00:00Z')).map((day) => day.toISOString())).toEqual([
      '2026-03-10T00:00:00.000Z',
    ]);
  });
});
