import { setImmediate as nextLoopTurn } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { ProbeResult } from '@mirrorwatch/domain';
import type { MirrorStateRecord } from './mirror-state.repository.js';
import { applyIncidentChange, type IncidentChange } from './incident.repository.js';
import { probeColumns, toProbeRecord, type ProbeRecord } from './probe-record.js';
import { PrismaService } from './prisma.service.js';
import { sqlTagsOf, type ProbeRow } from './prisma-client.factory.js';
import { OutcomeStatements } from './outcome-statements.js';

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
 * A probe cycle's outcomes, written together when the cycle calls commit():
 * a transaction per OUTCOMES_PER_TRANSACTION outcomes, each one multi-row
 * INSERT of the probe rows and one upsert of the states. Each add() settles when
 * its outcome is stored (or could not be).
 */
export interface ProbeOutcomeBatch {
  add(outcome: ProbeOutcome): Promise<void>;
  /** Writes what was added so far; resolves once written (each add() reports its own failure). */
  commit(): Promise<void>;
}

/** Told of the probe rows of every committed transaction, in commit order. */
export type StoredProbesListener = (records: readonly ProbeRecord[]) => void;

/**
 * Outcomes written per transaction: a few statements either way, and a part
 * of a cycle short enough (tens of milliseconds) that requests are not held.
 */
export const OUTCOMES_PER_TRANSACTION = 20;

interface QueuedOutcome {
  outcome: ProbeOutcome;
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Writes probe outcomes so that the probe rows, the mirror's state and the
 * incident it opens or closes commit together or not at all. Written
 * separately, a crash between them left a "down" state with no open incident
 * (never opened) or an incident open for ever (the state that would close it
 * already said "up"), and the state could get ahead of the probes it was
 * computed from.
 *
 * Outcomes share transactions: a probe cycle hands its outcomes over as one
 * batch (batch()), and outcomes committed outside a batch in the same turn
 * of the event loop share one too. A transaction per probe cost more CPU
 * than the probe itself (issue 10: Prisma's query compiler, client and
 * adapter run once per statement, not per row), so a transaction is two
 * statements (raw SQL: OutcomeStatements) plus one or two per incident
 * change, for up to OUTCOMES_PER_TRANSACTION outcomes (a larger batch is
 * written in parts, in order). If a grouped
 * transaction fails, each of its outcomes is retried alone: one bad row must
 * not lose the others.
 */
@Injectable()
export class ProbeOutcomeRepository {
  private queued: QueuedOutcome[] = [];
  private writing: Promise<void> = Promise.resolve();
  private readonly listeners: StoredProbesListener[] = [];
  private readonly statements: OutcomeStatements;

  constructor(private readonly prisma: PrismaService) {
    this.statements = new OutcomeStatements(sqlTagsOf(prisma.client));
  }

  /** Stores one outcome, grouped with the others handed over in this turn of the event loop. */
  commit(outcome: ProbeOutcome): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queued.push({ outcome, resolve, reject });
      if (this.queued.length === 1) setImmediate(() => this.enqueue(this.takeQueued()));
    });
  }

  /** A batch the caller commits when it is done (a probe cycle: at its end). */
  batch(): ProbeOutcomeBatch {
    const queued: QueuedOutcome[] = [];
    return {
      add: (outcome) => new Promise<void>((resolve, reject) => queued.push({ outcome, resolve, reject })),
      commit: () => this.enqueue(queued.splice(0)),
    };
  }

  /** Listens to the probe rows each transaction stored (in-memory windows of the leader). */
  onStored(listener: StoredProbesListener): void {
    this.listeners.push(listener);
  }

  private takeQueued(): QueuedOutcome[] {
    const batch = this.queued;
    this.queued = [];
    return batch;
  }

  private enqueue(batch: readonly QueuedOutcome[]): Promise<void> {
    // One writer at a time: SQLite has one anyway, and order of commits follows order of results.
    if (batch.length > 0) this.writing = this.writing.then(() => this.writeInParts(batch));
    return this.writing;
  }

  /**
   * A transaction per OUTCOMES_PER_TRANSACTION outcomes, the event loop
   * turning between them: on SQLite a transaction runs as one uninterrupted
   * stretch of the API thread (Prisma serializing, compiling and mapping
   * each statement, then the driver), and a whole cycle's (100 mirrors) took
   * 170-280 ms of CPU on a month's seed, every request waiting behind it.
   */
  private async writeInParts(batch: readonly QueuedOutcome[]): Promise<void> {
    for (let offset = 0; offset < batch.length; offset += OUTCOMES_PER_TRANSACTION) {
      if (offset > 0) await nextLoopTurn();
      await this.write(batch.slice(offset, offset + OUTCOMES_PER_TRANSACTION));
    }
  }

  private async write(batch: readonly QueuedOutcome[]): Promise<void> {
    try {
      this.announce(await this.transaction(batch.map((queued) => queued.outcome)));
      for (const queued of batch) queued.resolve();
      return;
    } catch (error) {
      if (batch.length === 1) {
        batch[0]?.reject(error);
        return;
      }
    }
    for (const queued of batch) {
      await this.transaction([queued.outcome]).then((records) => {
        this.announce(records);
        queued.resolve();
      }, queued.reject);
    }
  }

  /** After the commit, outside the retry path: a listener's failure must never store a row twice. */
  private announce(records: readonly ProbeRecord[]): void {
    if (records.length === 0) return;
    for (const listener of this.listeners) {
      try {
        listener(records);
      } catch {
        // A listener keeps a cache the database can rebuild; the rows are stored either way.
      }
    }
  }

  private async transaction(outcomes: readonly ProbeOutcome[]): Promise<ProbeRecord[]> {
    const rows = outcomes.flatMap((outcome) =>
      outcome.probes.map((probe) => probeColumns(outcome.mirrorId, outcome.vantageId, probe.result, probe.repository)),
    );
    // The newest state per mirror. MirrorState is a leaf table (nothing references it).
    const states = [...new Map(outcomes.map((outcome) => [outcome.state.mirrorId, outcome.state])).values()];
    const stored = await this.prisma.client.$transaction(async (tx) => {
      // Raw statements for the rows every probe writes (OutcomeStatements); incident changes are rare and stay on the model API.
      const inserted = rows.length > 0 ? await tx.$queryRaw<ProbeRow[]>(this.statements.insertProbes(rows)) : [];
      await tx.$executeRaw(this.statements.upsertStates(states, new Date()));
      for (const outcome of outcomes) await applyIncidentChange(tx, outcome.vantageId, outcome.incident);
      return inserted;
    });
    // RETURNING answers rows in no promised order: listeners get them in insertion order, as the model API gave them.
    return stored.map(toProbeRecord).sort((a, b) => a.id - b.id);
  }
}
