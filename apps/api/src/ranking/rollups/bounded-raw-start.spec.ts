import { describe, expect, it } from 'vitest';
import { boundedRawStart, RAW_READ_SPAN_MS } from './catch-up-progress.js';

const NOW = new Date('2026-11-30T12:09:00Z');
const hoursFrom = (date: Date, hours: number) => new Date(date.getTime() + hours * 3_600_000);

describe('boundedRawStart', () => {
  it('keeps a start inside the span', () => {
    const start = hoursFrom(NOW, -1);
    expect(boundedRawStart(start, NOW, NOW)).toEqual(start);
  });

  it('reads only the newest span of a long gap', () => {
    expect(boundedRawStart(hoursFrom(NOW, -48), NOW, NOW)).toEqual(new Date(NOW.getTime() - RAW_READ_SPAN_MS));
  });

  it('counts back from now when the window ends in the future (a 6-hour chart bucket ending at 18:00)', () => {
    const bucketStart = new Date('2026-11-30T12:00:00Z');
    expect(boundedRawStart(bucketStart, new Date('2026-11-30T18:00:00Z'), NOW)).toEqual(bucketStart);
    expect(boundedRawStart(hoursFrom(NOW, -30), new Date('2026-12-01T00:00:00Z'), NOW)).toEqual(new Date(NOW.getTime() - RAW_READ_SPAN_MS));
  });
});
