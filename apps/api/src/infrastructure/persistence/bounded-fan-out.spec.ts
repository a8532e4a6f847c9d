import { describe, expect, it } from 'vitest';
import { mapBounded } from './bounded-fan-out.js';

describe('mapBounded', () => {
  it('keeps the order of the items and never has more than the limit in flight', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await mapBounded(
      [5, 1, 4, 2, 3, 0, 6],
      async (value) => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        // Finish out of order: later items first.
        await new Promise((resolve) => setImmediate(resolve));
        for (let spin = 0; spin < value; spin += 1) await Promise.resolve();
        inFlight -= 1;
        return value * 10;
      },
      3,
    );
    expect(results).toEqual([50, 10, 40, 20, 30, 0, 60]);
    expect(most).toBe(3);
  });

  it('answers an empty list with an empty list', async () => {
    expect(await mapBounded([], async () => 1)).toEqual([]);
  });

  it('rejects with the first failure', async () => {
    await expect(mapBounded([1, 2, 3], async (value) => (value === 2 ? Promise.reject(new Error('two')) : value), 2)).rejects.toThrow(
      'two',
    );
  });
});
