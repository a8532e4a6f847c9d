import { describe, expect, it } from 'vitest';
import { overallStatus } from './status.js';

describe('overallStatus', () => {
  it.each([
    [[], 'no_data'],
    [['unknown', 'unknown'], 'no_data'],
    [['up', 'up', 'unknown'], 'operational'],
    [['up', 'down'], 'partial'],
    [['degraded', 'down'], 'partial'],
    [['down', 'down', 'unknown'], 'major_outage'],
  ] as const)('%j -> %s', (statuses, expected) => {
    expect(overallStatus(statuses)).toBe(expected);
  });
});
