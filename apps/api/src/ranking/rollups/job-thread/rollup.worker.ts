/**
 * One rollup pass on its own thread. On SQLite, Prisma reaches the database
 * through better-sqlite3, which is synchronous: an "async" query holds the
 * thread that issued it until SQLite returns, so on the API's thread every
 * slice of a month's backfill delayed every request by its length (issue 16).
 * Here the pass has a connection of its own (SQLite's WAL lets the API read
 * meanwhile; its writes wait on the busy timeout only for one short statement),
 * and the API thread only hears about progress.
 */
import 'reflect-metadata';
import { parentPort, threadId, workerData } from 'node:worker_threads';
import { createPrismaClient } from '#infrastructure/persistence/prisma-client.factory.js';
import { PrismaService } from '#infrastructure/persistence/prisma.service.js';
import { ProbeRepository } from '#infrastructure/persistence/probe.repository.js';
import { RollupRepository } from '#infrastructure/persistence/rollup.repository.js';
import { RollupRedoDayRepository } from '#infrastructure/persistence/rollup-redo-day.repository.js';
import type { CatchUpReporter } from '../catch-up-progress.js';
import { lowerThreadPriority } from '#infrastructure/threads/lower-thread-priority.js';
import { RollupJobService } from '../rollup-job.service.js';
import type { FromRollupThread, RollupWorkerData, ToRollupThread } from './rollup-messages.js';

/** A backfill is hours of work that may wait: the lowest priority (see lowerThreadPriority). */
const ROLLUP_THREAD_NICE = 19;

const port = parentPort;
if (port === null) throw new Error('rollup.worker.js runs as a worker thread only');
const data = workerData as RollupWorkerData;
const send = (message: FromRollupThread) => port.postMessage(message);

const abort = new AbortController();
port.on('message', (message: ToRollupThread) => {
  if (message.type === 'abort') abort.abort();
});
// Listening for an abort must not keep the thread alive once the pass is done.
port.unref();

/** Progress goes to the API thread, which keeps what readiness and the dashboard show. */
const reporter: CatchUpReporter = {
  begin: (fromDay, days, slices) => {
    send({ type: 'begin', fromDay, days, slices });
    // Loading and planning ran at normal priority, so readiness learns of a backfill promptly even on a busy machine.
    lowerThreadPriority(ROLLUP_THREAD_NICE);
  },
  advance: () => send({ type: 'advance' }),
  finish: () => undefined,
};

async function main(): Promise<void> {
  const client = await createPrismaClient(data.databaseUrl);
  try {
    const prisma = new PrismaService(client);
    const config = { rawProbeRetentionDays: data.rawProbeRetentionDays, rollupBusyPercent: data.rollupBusyPercent };
    const job = new RollupJobService(
      config,
      new RollupRepository(prisma),
      new ProbeRepository(prisma),
      new RollupRedoDayRepository(prisma),
      reporter,
    );
    const result = await job.run(new Date(data.nowMs), abort.signal);
    send({ type: 'finished', result, threadId });
  } finally {
    await client.$disconnect();
  }
}

main().catch((error: unknown) => send({ type: 'failed', error: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
