import type { SparklineBucketDto } from '@mirrorwatch/api-types';
import { describe, expect, it } from 'vitest';
import { SPARKLINE_SIZE, sparklineModel } from './sparkline-model';

const bucket = (successRate: number | null, manifestP50Ms: number | null, hour = 0): SparklineBucketDto => ({
  start: new Date(Date.UTC(2026, 2, 1, hour)).toISOString(),
  successRate,
  manifestP50Ms,
});

describe('sparklineModel', () => {
  it('scales latency from zero to the maximum and breaks the line where an hour has none', () => {
    // 4 buckets in 96 units: slots of 24, points at their centres 12, 36, 60, 84.
    const model = sparklineModel([bucket(1, 100), bucket(1, 50), bucket(0, null), bucket(1, 100)]);
    const { lineTop, lineBottom } = SPARKLINE_SIZE;
    const mid = (lineTop + lineBottom) / 2;
    expect(model.linePath).toBe(`M12 ${lineTop} L36 ${mid}`);
    expect(model.dots).toEqual([{ x: 84, y: lineTop }]);
    expect([model.minLatencyMs, model.maxLatencyMs, model.worstSuccessRate]).toEqual([50, 100, 0]);
  });

  it('grades each hour, failing ones taller, and leaves hours without probes as "none"', () => {
    const model = sparklineModel([bucket(1, 80), bucket(0.95, 80), bucket(0.2, 80), bucket(null, null)]);
    expect(model.cells.map((cell) => cell.grade)).toEqual(['good', 'warn', 'bad', 'none']);
    const heights = model.cells.map((cell) => cell.height);
    expect(heights[2]).toBe(SPARKLINE_SIZE.stripHeight);
    expect(heights[0]).toBeLessThan(heights[1] ?? 0);
    expect(heights[1]).toBeLessThan(heights[2] ?? 0);
    // Bottom-aligned: every cell ends on the strip's bottom edge.
    for (const cell of model.cells) expect(cell.y + cell.height).toBeCloseTo(SPARKLINE_SIZE.stripTop + SPARKLINE_SIZE.stripHeight, 5);
  });

  it('draws a flat line at the bottom for zero latencies and nothing without data', () => {
    expect(sparklineModel([bucket(1, 0), bucket(1, 0)]).linePath).toBe(`M24 ${SPARKLINE_SIZE.lineBottom} L72 ${SPARKLINE_SIZE.lineBottom}`);
    const empty = sparklineModel(Array.from({ length: 24 }, (_, hour) => bucket(null, null, hour)));
    expect([empty.linePath, empty.dots, empty.minLatencyMs, empty.worstSuccessRate]).toEqual(['', [], null, null]);
    expect(empty.cells).toHaveLength(24);
  });
});
