import { Injectable } from '@nestjs/common';
import type { ProbeResult } from '@mirrorwatch/domain';
import type { MirrorStateRecord } from './mirror-state.repository.js';
import type { OpenIncidentInput } from './incident.repository.js';
import { probeColumns } from './probe-record.js';
import { PrismaService } from './prisma.service.js';
import type { TransactionClient } from './transaction-client.js';

export interface ProbeRowInput {
  result: ProbeResult;
  /** What the probe asked for (the main image, or the allowlist check's repository). */
  repository: string | null;
}

export type IncidentChange = { kind: 'open'; incident: OpenIncidentInput } | { kind: 'close'; mirrorId: string; endedAt: Date } | null;

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
@Injectable()
export class ProbeOutcomeRepository {
  constructor(private readonly prisma: PrismaService) {}

  async commit(outcome: ProbeOutcome): Promise<void> {
    await this.prisma.client.$transaction(async (tx) => {
      for (const probe of outcome.probes) {
        await tx.probe.create({ data: probeColumns(outcome.mirrorId, outcome.vantageId, probe.result, probe.repository) });
      }
      const { mirrorId, ...state } = outcome.state;
      await tx.mirrorState.upsert({ where: { mirrorId }, create: { mirrorId, ...state }, update: state });
      await applyIncidentChange(tx, outcome.incident);
    });
  }
}

/** Opening is idempotent (an incident already open is kept), so a replayed "went down" never leaves two open. */
async function applyIncidentChange(tx: TransactionClient, change: IncidentChange): Promise<void> {
  if (change === null) return;
  if (change.kind === 'open') {
    const open = await tx.incident.findFirst({ where: { mirrorId: change.incident.mirrorId, endedAt: null } });
    if (open === null) await tx.incident.create({ data: { ...change.incident, endedAt: null } });
    return;
  }
  await tx.incident.updateMany({ where: { mirrorId: change.mirrorId, endedAt: null }, data: { endedAt: change.endedAt } });
}
