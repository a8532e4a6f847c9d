/**
 * Reads until `done` holds or `timeoutMs` passes, pausing `intervalMs` between
 * reads; returns the last value read either way, so the caller's assertion
 * names what was seen when it gave up. A bound for a hung test, not a timing claim.
 */
export async function pollUntil<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs, intervalMs }: { timeoutMs: number; intervalMs: number },
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    value = await read();
  }
  return value;
}
