import { describe, expect, it } from 'vitest';
import { dailyCells, overallUptime, packDailyCells, utcDayStart } from './daily-cells.js';

const now = new Date('2026-03-10T15:00:00Z');

describe('dailyCells', () => {
  it('has exactly `days` cells ending today (UTC), empty days with null uptime', () => {
    const cells = dailyCells(now, 90, [], []);
    expect(cells).toHaveLength(90);
    expect(cells[0]?.date).toBe('2025-12-11');
    expect(cells[89]).toEqual({ date: '2026-03-10', probes: 0, successes: 0, uptime: null, incidents: 0 });
  });

  it('adds counts per day, ignores days outside the range, and counts incidents on every day they touch', () => {
    const cells = dailyCells(
      now,
      3,
      [
        { day: new Date('2026-03-10T00:00:00Z'), probes: 10, successes: 9 },
        { day: new Date('2026-03-10T00:00:00Z'), probes: 10, successes: 10 },
        { day: new Date('2026-03-08T00:00:00Z'), probes: 4, successes: 1 },
        { day: new Date('2026-03-07T00:00:00Z'), probes: 99, successes: 0 },
      ],
      [
        { startedAt: new Date('2026-03-08T23:00:00Z'), endedAt: new Date('2026-03-09T01:00:00Z') },
        { startedAt: new Date('2026-03-10T14:00:00Z'), endedAt: null },
        { startedAt: new Date('2026-03-01T00:00:00Z'), endedAt: new Date('2026-03-02T00:00:00Z') },
      ],
    );
    expect(cells.map((cell) => [cell.date, cell.probes, cell.successes, cell.uptime, cell.incidents])).toEqual([
      ['2026-03-08', 4, 1, 0.25, 1],
      ['2026-03-09', 0, 0, null, 1],
      ['2026-03-10', 20, 19, 0.95, 1],
    ]);
    expect(overallUptime(cells)).toBe(20 / 24);
  });

  it('packs cells into columns, uptime in per-mille rounded down', () => {
    const cells = [
      { date: '2026-03-08', probes: 0, successes: 0, uptime: null, incidents: 0 },
      { date: '2026-03-09', probes: 1440, successes: 1439, uptime: 1439 / 1440, incidents: 2 },
      { date: '2026-03-10', probes: 10, successes: 10, uptime: 1, incidents: 0 },
    ];
    expect(packDailyCells(cells)).toEqual({ from: '2026-03-08', uptimePermille: [null, 999, 1000], incidents: [0, 2, 0] });
  });

  it('has no overall uptime without probes', () => {
    expect(overallUptime(dailyCells(now, 2, [], []))).toBeNull();
  });

  it.each([
    [0, '2026-03-10T00:00:00.000Z'],
    [89, '2025-12-11T00:00:00.000Z'],
  ])('utcDayStart %d days back', (back, expected) => {
    expect(utcDayStart(now, back).toISOString()).toBe(expected);
  });
});
