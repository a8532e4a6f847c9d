import { describe, expect, it } from 'vitest';
import { nextRetentionBatch, RETENTION_BATCH_MAX, RETENTION_BATCH_MIN } from './batched-retention.js';

describe('nextRetentionBatch', () => {
  it.each([
    [1_000, 3, 2_000],
    [1_000, 10, 1_000],
    [1_000, 90, 500],
    [RETENTION_BATCH_MAX, 1, RETENTION_BATCH_MAX],
    [RETENTION_BATCH_MIN, 500, RETENTION_BATCH_MIN],
  ])('a batch of %d that took %d ms is followed by one of %d', (current, elapsedMs, expected) => {
    expect(nextRetentionBatch(current, elapsedMs)).toBe(expected);
  });
});
