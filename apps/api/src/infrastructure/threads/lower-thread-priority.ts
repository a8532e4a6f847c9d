import { setPriority } from 'node:os';

/**
 * Lowers the CPU priority of one thread only: Linux keeps a nice value per
 * thread, and pid 0 names the caller; another id names that thread (a child
 * process's id is its main thread's, and threads it starts later inherit
 * it). The product's helper threads and processes (the rollup pass, the
 * dashboard's renders) use it so that on a small machine the API thread,
 * which answers liveness, the exports and the REST reads, gets a core first
 * (issue 16). Where the platform refuses (some containers), the thread keeps
 * its priority; nothing else changes.
 */
export function lowerThreadPriority(nice: number, threadId = 0): void {
  try {
    setPriority(threadId, nice);
  } catch {
    // not permitted here: the thread runs at normal priority
  }
}
