import { Injectable } from '@nestjs/common';
import type { ProbeResult } from '@mirrorwatch/domain';
import type { MirrorStateRecord } from './mirror-state.repository.js';
import { applyIncidentChange, type IncidentChange } from './incident.repository.js';
import { probeColumns } from './probe-record.js';
import { PrismaService } from './prisma.service.js';

export interface ProbeRowInput {
  result: ProbeResult;
  /** What the probe asked for (the main image, or the allowlist check's repository). */
  repository: string | null;
}

/** Everything one probe of one mirror changes in the database. */
export interface ProbeOutcome {
  mirrorId: string;
  vantageId: string;
  probes: ProbeRowInput[];
  state: MirrorStateRecord;
  incident: IncidentChange;
}

/**
 * Writes a probe outcome as one transaction: the probe rows, the mirror's
 * state and the incident it opens or closes commit together or not at all.
 * Written separately, a crash between them left a "down" state with no open
 * incident (never opened) or an incident open for ever (the state that would
 * close it already said "up"), and the state could get ahead of the probes
 * it was computed from.
 */
interface QueuedOutcome {
  outcome: ProbeOutcome;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Commits are grouped: outcomes handed over in the same turn of the event
 * loop (the probe engine thread returns the probes that finished together
 * in one message) share one transaction and one multi-row INSERT of their
 * probe rows. A transaction per probe cost more CPU than the probe itself
 * (issue 10: Prisma's query compiler and adapter ran once per statement).
 * Each caller still waits for the commit of its own outcome, so memory
 * follows the database as before. If a grouped transaction fails, each
 * outcome is retried alone: one bad row must not lose the others.
 */
@Injectable()
export class ProbeOutcomeRepository {
  private queued: QueuedOutcome[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly prisma: PrismaService) {}

  commit(outcome: ProbeOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ outcome, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const batch = this.queued;
    this.queued = [];
    // One writer at a time: SQLite has one anyway, and order of commits follows order of results.
    this.writing = this.writing.then(() => this.write(batch));
  }

  private async write(batch: readonly QueuedOutcome[]): Promise<void> {
    try {
      await this.transaction(batch.map((queued) => queued.outcome));
      for (const queued of batch) queued.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
    }
    for (const queued of batch) {
      await this.transaction([queued.outcome]).then(queued.resolve, queued.reject);
    }
  }

  private async transaction(outcomes: readonly ProbeOutcome[]): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      const rows = outcomes.flatMap((outcome) =>
        outcome.probes.map((probe) => probeColumns(outcome.mirrorId, outcome.vantageId, probe.result, probe.repository)),
      );
      if (rows.length > 0) await tx.probe.createMany({ data: rows });
      for (const outcome of outcomes) {
        const { mirrorId, ...state } = outcome.state;
        await tx.mirrorState.upsert({ where: { mirrorId }, create: { mirrorId, ...state }, update: state });
        await applyIncidentChange(tx, outcome.vantageId, outcome.incident);
      }
    });
  }
}
