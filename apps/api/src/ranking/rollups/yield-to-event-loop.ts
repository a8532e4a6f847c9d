/**
 * Lets queued I/O (HTTP requests, probe results) run between two slices of
 * long work. setImmediate runs after the poll phase, so every request that
 * arrived during a slice is served before the next slice starts.
 */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
