import { Injectable } from '@nestjs/common';
import type { ProbeResult } from '@mirrorwatch/domain';
import { isFailureClass } from '@mirrorwatch/domain';
import { incidentChange, nextMirrorState, type MirrorState, type StatusPolicy } from '@mirrorwatch/scoring';
import { PrismaService } from './prisma.service.js';
import { isUniqueViolation } from './prisma-errors.js';
import { applyIncidentChange, type IncidentChange } from './incident.repository.js';
import { stateColumns } from './mirror-state-mapping.js';
import { probeColumns } from './probe-record.js';
import { recordLateDays, type LateDayWindow } from './rollup-redo-day.repository.js';
import type { TransactionClient } from './transaction-client.js';

/** One result an agent sent, validated, its start time already on the server's clock. */
export interface AgentResultInput {
  resultId: string;
  mirrorId: string;
  repository: string | null;
  result: ProbeResult;
}

export interface IngestOutcome {
  /** Results stored by this call. */
  stored: number;
  /** Results already stored earlier (a replay): acknowledged, not stored again. */
  duplicates: number;
}

export interface VantageMirrorStateRecord extends MirrorState {
  vantageId: string;
  mirrorId: string;
}

/**
 * Stores a batch of agent results, advances the vantage's per-mirror states
 * and records the mirror-days that must be rolled up again (a result for a
 * day already over: a replayed spool, an outage across midnight), in one
 * transaction. Idempotent by (vantage, result id): a batch
 * replayed after a lost acknowledgement stores nothing twice, moves no
 * state twice and records no day for a result it did not store. Two requests racing with the same ids meet the unique index;
 * the loser retries once and then finds them stored.
 */
@Injectable()
export class AgentResultRepository {
  constructor(private readonly prisma: PrismaService) {}

  async ingest(
    vantageId: string,
    results: readonly AgentResultInput[],
    policy: StatusPolicy,
    lateDays: LateDayWindow,
  ): Promise<IngestOutcome> {
    try {
      return await this.ingestOnce(vantageId, results, policy, lateDays);
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      return this.ingestOnce(vantageId, results, policy, lateDays);
    }
  }

  /** Current per-mirror states of every remote vantage (the local one keeps MirrorState). */
  async states(): Promise<VantageMirrorStateRecord[]> {
    const rows = await this.prisma.client.vantageMirrorState.findMany();
    return rows.map(toStateRecord);
  }

  private ingestOnce(
    vantageId: string,
    results: readonly AgentResultInput[],
    policy: StatusPolicy,
    lateDays: LateDayWindow,
  ): Promise<IngestOutcome> {
    // A handful of statements whatever the batch size: a round trip per result
    // or per mirror state held transactions open for seconds on a busy server.
    return this.prisma.client.$transaction(
      async (tx) => {
        const ids = [...new Set(results.map((entry) => entry.resultId))];
        const known = await tx.probe.findMany({ where: { vantageId, resultId: { in: ids } }, select: { resultId: true } });
        const seen = new Set(known.map((row) => row.resultId));
        const fresh: AgentResultInput[] = [];
        for (const entry of results) {
          if (seen.has(entry.resultId)) continue;
          seen.add(entry.resultId);
          fresh.push(entry);
        }
        fresh.sort((a, b) => a.result.startedAt.getTime() - b.result.startedAt.getTime());
        if (fresh.length > 0) {
          await tx.probe.createMany({
            data: fresh.map((entry) => ({
              ...probeColumns(entry.mirrorId, vantageId, entry.result, entry.repository),
              resultId: entry.resultId,
            })),
          });
          await advanceStates(tx, vantageId, fresh, policy);
          await recordLateDays(
            tx,
            fresh.map((entry) => ({ mirrorId: entry.mirrorId, startedAt: entry.result.startedAt })),
            lateDays,
          );
        }
        return { stored: fresh.length, duplicates: results.length - fresh.length };
      },
      { maxWait: TRANSACTION_MAX_WAIT_MS, timeout: TRANSACTION_TIMEOUT_MS },
    );
  }
}

/** Waiting for a pooled connection, and the whole transaction: generous, since a refused batch is only retried later. */
const TRANSACTION_MAX_WAIT_MS = 10_000;
const TRANSACTION_TIMEOUT_MS = 30_000;

/**
 * Applies the new results to their mirrors' states in start order (a result
 * older than the state's latest probe is stored but moves nothing), then
 * replaces the changed rows with one delete and one insert. A state that goes
 * down or leaves down opens or closes the vantage's incident, as the local
 * prober does for its own: a statement or two per transition, none otherwise.
 */
async function advanceStates(
  tx: TransactionClient,
  vantageId: string,
  fresh: readonly AgentResultInput[],
  policy: StatusPolicy,
): Promise<void> {
  const mirrorIds = [...new Set(fresh.map((entry) => entry.mirrorId))];
  const rows = await tx.vantageMirrorState.findMany({ where: { vantageId, mirrorId: { in: mirrorIds } } });
  const states = new Map<string, MirrorState>(rows.map((row) => [row.mirrorId, toStateRecord(row)]));
  const changed = new Set<string>();
  const incidents: IncidentChange[] = [];
  for (const { mirrorId, result } of fresh) {
    const previous = states.get(mirrorId) ?? null;
    if (previous !== null && result.startedAt.getTime() < previous.lastProbeAt.getTime()) continue;
    const next = nextMirrorState(previous, { at: result.startedAt, ok: result.ok, failureClass: result.failureClass }, policy);
    states.set(mirrorId, next);
    changed.add(mirrorId);
    const incident = incidentChange(mirrorId, previous, next, result.startedAt, result.failureClass, result.detail);
    if (incident !== null) incidents.push(incident);
  }
  if (changed.size === 0) return;
  // In order: a mirror that went down and came back within one batch gets its incident opened, then closed.
  for (const incident of incidents) await applyIncidentChange(tx, vantageId, incident);
  await tx.vantageMirrorState.deleteMany({ where: { vantageId, mirrorId: { in: [...changed] } } });
  await tx.vantageMirrorState.createMany({
    data: [...changed].map((mirrorId) => {
      const state = states.get(mirrorId) as MirrorState;
      return { vantageId, mirrorId, ...stateColumns(state) };
    }),
  });
}

type StateRow = Awaited<ReturnType<PrismaService['client']['vantageMirrorState']['findMany']>>[number];

function toStateRecord(row: StateRow): VantageMirrorStateRecord {
  const status = row.status === 'up' || row.status === 'down' || row.status === 'degraded' ? row.status : 'unknown';
  const degraded = row.degradedReason;
  return {
    vantageId: row.vantageId,
    mirrorId: row.mirrorId,
    status,
    degradedReason:
      status === 'degraded' && (degraded === 'slow' || degraded === 'allowlisted' || degraded === 'stale' || degraded === 'rate_limited')
        ? degraded
        : null,
    consecutiveFailures: row.consecutiveFailures,
    consecutiveSuccesses: row.consecutiveSuccesses,
    since: row.since,
    lastFailureClass: row.lastFailureClass !== null && isFailureClass(row.lastFailureClass) ? row.lastFailureClass : null,
    lastProbeAt: row.lastProbeAt,
    lastIntegrityFailureAt: row.lastIntegrityFailureAt,
  };
}
