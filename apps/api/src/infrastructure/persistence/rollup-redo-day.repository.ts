import { bucketStart } from '@mirrorwatch/scoring';
import { PrismaService } from './prisma.service.js';
import type { TransactionClient } from './transaction-client.js';
import { byCodeUnits } from '@mirrorwatch/domain';

/**
 * Which stored results mark their mirror-day for a redo: days already over
 * (before `today`, the UTC day of the storing replica's clock) whose raw
 * probes are still kept (from `retainedFrom`, the retention cutoff).
 *
 * Why "before today" and not "before the day the next pass resumes at": every
 * pass redoes the day it resumes at through its own today, and the first pass
 * of a day resumes in the day before (hourly buckets are only written up to
 * the pass's own day), so a result stored while its day is still today is
 * always read by a later pass. Once the day is over a running or finished pass
 * may have read it already, so the day is recorded. Comparing with the newest
 * bucket instead would race a pass that is running, and cost a read per batch.
 */
export interface LateDayWindow {
  today: Date;
  retainedFrom: Date;
}

/** A mirror-day to redo as the pass read it: forgotten only while `version` is unchanged. */
export interface RedoDayRecord {
  id: number;
  mirrorId: string;
  day: Date;
  version: number;
}

/**
 * Records the late mirror-days of `results` inside the caller's transaction
 * (the one storing them, so a stored result is never without its record).
 * At most four statements whatever the batch, none when every result is of
 * today (the usual batch): insert-or-bump by hand, because
 * `createMany({ skipDuplicates })` does not exist on SQLite. A day already
 * recorded gets its version bumped, so a pass redoing it right now keeps the
 * record for its next run; a record a pass deleted between the read and the
 * bump is inserted again; a record a concurrent batch inserted first makes
 * this insert fail with a unique violation, which the ingesting repository
 * retries (and then finds it). Returns how many mirror-days were late.
 */
export async function recordLateDays(
  tx: TransactionClient,
  results: readonly { mirrorId: string; startedAt: Date }[],
  window: LateDayWindow,
): Promise<number> {
  const keys = new Map<string, { mirrorId: string; day: Date }>();
  for (const { mirrorId, startedAt } of results) {
    const day = bucketStart('day', startedAt);
    if (day.getTime() >= window.today.getTime() || day.getTime() < window.retainedFrom.getTime()) continue;
    keys.set(`${mirrorId} ${day.getTime()}`, { mirrorId, day });
  }
  if (keys.size === 0) return 0;
  // One order for every batch: two agents' batches inserting the same new days cannot deadlock on PostgreSQL.
  const wanted = [...keys.values()].sort((a, b) => a.day.getTime() - b.day.getTime() || byCodeUnits(a.mirrorId, b.mirrorId));
  const found = await tx.rollupRedoDay.findMany({ where: { OR: wanted }, select: { id: true, mirrorId: true, day: true } });
  let kept = found;
  if (found.length > 0) {
    const bumped = await tx.rollupRedoDay.updateMany({
      where: { id: { in: found.map((row) => row.id) } },
      data: { version: { increment: 1 } },
    });
    // PostgreSQL only (SQLite serialises writers): a pass forgot a record between the read and the bump.
    if (bumped.count < found.length)
      kept = await tx.rollupRedoDay.findMany({
        where: { id: { in: found.map((row) => row.id) } },
        select: { id: true, mirrorId: true, day: true },
      });
  }
  const present = new Set(kept.map((row) => `${row.mirrorId} ${row.day.getTime()}`));
  const missing = wanted.filter((key) => !present.has(`${key.mirrorId} ${key.day.getTime()}`));
  if (missing.length > 0) await tx.rollupRedoDay.createMany({ data: missing });
  return keys.size;
}

/** The rollup pass's side (on its own thread, not a Nest provider): which mirror-days to redo, and forgetting them once redone. */
export class RollupRedoDayRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Every recorded mirror-day, oldest day first. */
  async list(): Promise<RedoDayRecord[]> {
    return this.prisma.client.rollupRedoDay.findMany({ orderBy: [{ day: 'asc' }, { mirrorId: 'asc' }] });
  }

  /**
   * Deletes the record if no late result bumped it since it was read (one
   * statement: on PostgreSQL a delete that meets a bump in flight waits for
   * it and then re-checks the version). Returns whether it went.
   */
  async forget(record: RedoDayRecord): Promise<boolean> {
    const { count } = await this.prisma.client.rollupRedoDay.deleteMany({ where: { id: record.id, version: record.version } });
    return count > 0;
  }

  /** Drops records of days before the retention cutoff: their raw probes may be partly gone, so they are never redone. */
  async discardBefore(cutoff: Date): Promise<number> {
    const { count } = await this.prisma.client.rollupRedoDay.deleteMany({ where: { day: { lt: cutoff } } });
    return count;
  }
}
