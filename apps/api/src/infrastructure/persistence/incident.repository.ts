import { Injectable } from '@nestjs/common';
import { isFailureClass, type FailureClass } from '@mirrorwatch/domain';
import type { IncidentRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';
import type { TransactionClient } from './transaction-client.js';
import { LOCAL_VANTAGE_ID } from '#infrastructure/configuration/local-vantage.js';

export interface IncidentRecord {
  id: number;
  mirrorId: string;
  /** Where it was seen: 'local' (this server's probes) or a remote vantage (its agents' results). */
  vantageId: string;
  startedAt: Date;
  /** Null while the mirror is still down. */
  endedAt: Date | null;
  failureClass: FailureClass;
  detail: string | null;
}

export interface OpenIncidentInput {
  mirrorId: string;
  startedAt: Date;
  failureClass: FailureClass;
  detail: string | null;
}

/** What one state change does to incidents: open one (went down), close the open one (left down), or nothing. */
export type IncidentChange = { kind: 'open'; incident: OpenIncidentInput } | { kind: 'close'; mirrorId: string; endedAt: Date } | null;

/**
 * Applies a state change's incident inside the caller's transaction (the
 * local prober's, or an agent batch's), scoped to the vantage that saw it.
 * Opening is idempotent (an incident already open is kept), so a replayed
 * "went down" never leaves two open.
 */
export async function applyIncidentChange(tx: TransactionClient, vantageId: string, change: IncidentChange): Promise<void> {
  if (change === null) return;
  if (change.kind === 'open') {
    const open = await tx.incident.findFirst({ where: { mirrorId: change.incident.mirrorId, vantageId, endedAt: null } });
    if (open === null) await tx.incident.create({ data: { ...change.incident, vantageId, endedAt: null } });
    return;
  }
  await tx.incident.updateMany({ where: { mirrorId: change.mirrorId, vantageId, endedAt: null }, data: { endedAt: change.endedAt } });
}

/** Reads and writes incidents of one vantage at a time; without one, the local vantage's (this server's probes). */
@Injectable()
export class IncidentRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Opens an incident, or returns the one already open for this mirror: a
   * restart that replays "went down" must not leave two open incidents.
   */
  async openIncident(input: OpenIncidentInput, vantageId: string = LOCAL_VANTAGE_ID): Promise<IncidentRecord> {
    return this.prisma.client.$transaction(async (tx) => {
      const open = await tx.incident.findFirst({
        where: { mirrorId: input.mirrorId, vantageId, endedAt: null },
        orderBy: { startedAt: 'desc' },
      });
      const row = open ?? (await tx.incident.create({ data: { ...input, vantageId, endedAt: null } }));
      return toRecord(row);
    });
  }

  /** Closes the mirror's open incident(s) at `endedAt`; returns the newest one closed, or null if none was open. */
  async closeIncident(mirrorId: string, endedAt: Date, vantageId: string = LOCAL_VANTAGE_ID): Promise<IncidentRecord | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const open = await tx.incident.findMany({ where: { mirrorId, vantageId, endedAt: null }, orderBy: { startedAt: 'desc' } });
      const newest = open[0];
      if (newest === undefined) return null;
      await tx.incident.updateMany({ where: { id: { in: open.map((row) => row.id) } }, data: { endedAt } });
      return toRecord({ ...newest, endedAt });
    });
  }

  async openIncidents(vantageId: string = LOCAL_VANTAGE_ID): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({ where: { vantageId, endedAt: null }, orderBy: { startedAt: 'desc' } });
    return rows.map(toRecord);
  }

  /** Newest first. */
  async listForMirror(mirrorId: string, limit = 50, vantageId: string = LOCAL_VANTAGE_ID): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({
      where: { mirrorId, vantageId },
      orderBy: { startedAt: 'desc' },
      take: limit,
    });
    return rows.map(toRecord);
  }

  /** Newest first, narrowed to `mirrorIds` and, when `open` is set, to open (true) or closed (false) incidents. */
  async list(query: { mirrorIds: readonly string[]; vantageId: string; open?: boolean; limit: number }): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({
      where: {
        mirrorId: { in: [...query.mirrorIds] },
        vantageId: query.vantageId,
        ...(query.open === undefined ? {} : { endedAt: query.open ? null : { not: null } }),
      },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    return rows.map(toRecord);
  }

  /** Incidents that overlap [since, now]: still open, ended after `since`, or started after it. Newest first. */
  async listSince(since: Date, vantageId: string = LOCAL_VANTAGE_ID): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({
      where: { vantageId, OR: [{ endedAt: null }, { endedAt: { gte: since } }, { startedAt: { gte: since } }] },
      orderBy: { startedAt: 'desc' },
    });
    return rows.map(toRecord);
  }
}

function toRecord(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    mirrorId: row.mirrorId,
    vantageId: row.vantageId,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    // See probe-record.ts: a retired class reads as 'internal'.
    failureClass: isFailureClass(row.failureClass) ? row.failureClass : 'internal',
    detail: row.detail,
  };
}
