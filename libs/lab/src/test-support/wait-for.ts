/**
 * Polls `read` every `intervalMs` (250 ms unless given) until `done` holds;
 * throws with the last value read after `timeoutMs`. A bound for a hung test,
 * not a timing claim: speed is the benchmarks' business.
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  read: () => Promise<T>,
  done: (value: T) => boolean,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    last = await read();
  }
  return last;
}
