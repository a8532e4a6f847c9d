import type { HistoryBucketDto } from '@mirrorwatch/api-types';
import { describe, expect, it } from 'vitest';
import { formatTick, toChartPoints } from './chart-data';

const bucket: HistoryBucketDto = {
  start: '2025-02-03T04:05:00Z',
  probes: 10,
  successes: 9,
  dnsP50Ms: 3,
  connectP50Ms: 20,
  tlsP50Ms: null,
  firstByteP50Ms: 40,
  tokenP50Ms: 80,
  manifestP50Ms: 120,
  manifestP95Ms: 300,
  throughputBytesPerSec: 3 * 1024 * 1024 + 1000,
  failures: { timeout: 1 },
};

describe('toChartPoints', () => {
  it('keeps missing phases as null (a gap, not a zero) and converts throughput to MiB/s', () => {
    expect(toChartPoints([bucket, { ...bucket, throughputBytesPerSec: null }])).toEqual([
      { t: Date.parse(bucket.start), dns: 3, connect: 20, tls: null, firstByte: 40, manifest: 120, throughputMiBps: 3 },
      { t: Date.parse(bucket.start), dns: 3, connect: 20, tls: null, firstByte: 40, manifest: 120, throughputMiBps: null },
    ]);
  });
});

describe('formatTick', () => {
  const t = Date.parse('2025-02-03T04:05:00Z');
  it.each([
    ['1h', '04:05'],
    ['24h', '04:05'],
    ['7d', '02-03 04h'],
    ['30d', '02-03'],
  ] as const)('%s -> %s', (window, expected) => {
    expect(formatTick(t, window)).toBe(expected);
  });
});
