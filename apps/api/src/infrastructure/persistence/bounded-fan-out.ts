/**
 * How many statements one fan-out (a read per mirror or per day, made once
 * per ranking generation) may have in flight. PostgreSQL's pool holds 10
 * connections: a hundred reads started at once queued every visitor's read
 * behind them (history p95 over 100 ms on the seeded month of issue 16, with
 * the statements themselves at a few ms). On a 2-core machine more than a few
 * at a time finishes no sooner. SQLite runs one statement at a time anyway.
 */
export const FAN_OUT_STATEMENTS = 3;

/** `work` for every item, at most `limit` at a time, results in the items' order. */
export async function mapBounded<T, R>(
  items: readonly T[],
  work: (item: T, index: number) => Promise<R>,
  limit: number = FAN_OUT_STATEMENTS,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
