import { describe, expect, it } from 'vitest';
import { dayChunks, nextRollupAt, retentionCutoff, rollupStart } from './rollup-plan.js';

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

describe('retentionCutoff', () => {
  it.each([
    ['2026-03-10T15:00:00Z', 1, '2026-03-09T00:00:00.000Z'],
    ['2026-03-10T00:00:00Z', 1, '2026-03-09T00:00:00.000Z'],
    ['2026-03-10T15:00:00Z', 30, '2026-02-08T00:00:00.000Z'],
  ])('at %s keeping %d days deletes before %s (a UTC day start)', (now, days, expected) => {
    expect(retentionCutoff(new Date(now), days).toISOString()).toBe(expected);
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

describe('dayChunks', () => {
  it('cuts at UTC day starts and ends at now', () => {
    const chunks = dayChunks(new Date('2026-03-08T22:00:00Z'), new Date('2026-03-10T01:00:00Z'));
    expect(chunks.map((c) => [c.from.toISOString(), c.to.toISOString()])).toEqual([
      ['2026-03-08T22:00:00.000Z', '2026-03-09T00:00:00.000Z'],
      ['2026-03-09T00:00:00.000Z', '2026-03-10T00:00:00.000Z'],
      ['2026-03-10T00:00:00.000Z', '2026-03-10T01:00:00.000Z'],
    ]);
  });
  it('is empty when from is now', () => {
    expect(dayChunks(new Date(5), new Date(5))).toEqual([]);
  });
});
