import { setPriority } from 'node:os';

/**
 * Lowers the CPU priority of the calling thread only: Linux keeps a nice
 * value per thread, and pid 0 names the caller. The product's helper threads
 * (the rollup pass, the dashboard's renders) use it so that on a small
 * machine the API thread, which answers liveness, the exports and the REST
 * reads, gets a core first (issue 16). Where the platform refuses (some
 * containers), the thread keeps its priority; nothing else changes.
 */
export function lowerThreadPriority(nice: number): void {
  try {
    setPriority(0, nice);
  } catch {
    // not permitted here: the thread runs at normal priority
  }
}
