import type { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import type { DutyCycle } from './duty-cycle.js';

/**
 * Time one delete batch should take. The pass runs on its own thread, but on
 * SQLite a batch holds the write lock, and a probe write on the API thread
 * waits for it synchronously (busy timeout): that wait is the API thread's stall.
 */
export const RETENTION_BATCH_TARGET_MS = 15;
export const RETENTION_BATCH_MIN = 100;
export const RETENTION_BATCH_MAX = 20_000;
const FIRST_BATCH = 1_000;

/** Grows the batch while deletes are quick and shrinks it when one took too long (slow disk, busy machine). */
export function nextRetentionBatch(current: number, elapsedMs: number): number {
  const next =
    elapsedMs > RETENTION_BATCH_TARGET_MS ? Math.floor(current / 2) : elapsedMs < RETENTION_BATCH_TARGET_MS / 2 ? current * 2 : current;
  return Math.min(RETENTION_BATCH_MAX, Math.max(RETENTION_BATCH_MIN, next));
}

/**
 * Deletes raw probes before `cutoff` batch by batch, paced by `pace` (a
 * rest after each batch; a month to delete after downtime is a backfill's
 * worth of database work too), until none is left or `signal` aborts (the
 * rest waits for the next run: retention is idempotent). Returns how many
 * rows went.
 */
export async function deleteInBatches(probes: ProbeRepository, cutoff: Date, pace: DutyCycle, signal?: AbortSignal): Promise<number> {
  let deleted = 0;
  let batch = FIRST_BATCH;
  while (!signal?.aborted) {
    let elapsedMs = 0;
    const count = await pace.slice(async () => {
      const started = performance.now();
      const removed = await probes.deleteOlderThanBatch(cutoff, batch);
      elapsedMs = performance.now() - started;
      return removed;
    }, signal);
    deleted += count;
    if (count < batch) break;
    batch = nextRetentionBatch(batch, elapsedMs);
  }
  return deleted;
}
