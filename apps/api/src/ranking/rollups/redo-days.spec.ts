import { describe, expect, it } from 'vitest';
import type { RedoDayRecord } from '#infrastructure/persistence/rollup-redo-day.repository.js';
import { splitRedoDays } from './redo-days.js';

const record = (id: number, mirrorId: string, day: string): RedoDayRecord => ({ id, mirrorId, day: new Date(day), version: 1 });

describe('splitRedoDays', () => {
  const records = [
    record(1, 'm1', '2026-03-01T00:00:00Z'),
    record(2, 'm1', '2026-03-05T00:00:00Z'),
    record(3, 'm2', '2026-03-09T00:00:00Z'),
    record(4, 'm3', '2026-03-09T00:00:00Z'),
  ];
  const retainedFrom = new Date('2026-03-02T00:00:00Z');

  it.each([
    ['a routine pass (regular range today)', '2026-03-10T00:00:00Z', [2, 3, 4], []],
    ['a catch-up pass from the 9th', '2026-03-09T00:00:00Z', [2, 4], [3]],
    ['a pass with no regular day', null, [2, 3, 4], []],
  ])('%s: redoes %j first, leaves %j to the regular range, drops the expired one', (_, regularFrom, redo, covered) => {
    const plan = splitRedoDays(records, {
      retainedFrom,
      regularFrom: regularFrom === null ? null : new Date(regularFrom),
      mirrorIds: ['m1', 'm2'],
    });
    expect(plan.redo.map((r) => r.id)).toEqual(redo);
    expect(plan.covered.map((r) => r.id)).toEqual(covered);
    expect(plan.expired).toBe(1);
  });
});
