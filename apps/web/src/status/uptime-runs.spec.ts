import { describe, expect, it } from 'vitest';
import { uptimeRuns } from './uptime-runs';

describe('uptimeRuns', () => {
  it('merges consecutive days of one grade and averages their uptime', () => {
    const runs = uptimeRuns({
      from: '2026-02-27',
      uptimePermille: [null, null, 1000, 998, 950, 100, 1000],
      incidents: [0, 0, 0, 1, 2, 1, 0],
    });
    expect(runs).toEqual([
      { first: '2026-02-27', last: '2026-02-28', days: 2, grade: 'none', uptime: null, incidents: 0 },
      { first: '2026-03-01', last: '2026-03-02', days: 2, grade: 'good', uptime: 0.999, incidents: 1 },
      { first: '2026-03-03', last: '2026-03-03', days: 1, grade: 'warn', uptime: 0.95, incidents: 2 },
      { first: '2026-03-04', last: '2026-03-04', days: 1, grade: 'bad', uptime: 0.1, incidents: 1 },
      { first: '2026-03-05', last: '2026-03-05', days: 1, grade: 'good', uptime: 1, incidents: 0 },
    ]);
  });

  it('is empty without cells', () => {
    expect(uptimeRuns({ from: '2026-03-01', uptimePermille: [], incidents: [] })).toEqual([]);
  });
});
