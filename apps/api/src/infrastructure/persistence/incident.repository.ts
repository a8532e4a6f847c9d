import { Injectable } from '@nestjs/common';
import { isFailureClass, type FailureClass } from '@mirrorwatch/domain';
import type { IncidentRow } from './prisma-client.factory.js';
import { PrismaService } from './prisma.service.js';

export interface IncidentRecord {
  id: number;
  mirrorId: string;
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

@Injectable()
export class IncidentRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Opens an incident, or returns the one already open for this mirror: a
   * restart that replays "went down" must not leave two open incidents.
   */
  async openIncident(input: OpenIncidentInput): Promise<IncidentRecord> {
    return this.prisma.client.$transaction(async (tx) => {
      const open = await tx.incident.findFirst({ where: { mirrorId: input.mirrorId, endedAt: null }, orderBy: { startedAt: 'desc' } });
      const row = open ?? (await tx.incident.create({ data: { ...input, endedAt: null } }));
      return toRecord(row);
    });
  }

  /** Closes the mirror's open incident(s) at `endedAt`; returns the newest one closed, or null if none was open. */
  async closeIncident(mirrorId: string, endedAt: Date): Promise<IncidentRecord | null> {
    return this.prisma.client.$transaction(async (tx) => {
      const open = await tx.incident.findMany({ where: { mirrorId, endedAt: null }, orderBy: { startedAt: 'desc' } });
      const newest = open[0];
      if (newest === undefined) return null;
      await tx.incident.updateMany({ where: { id: { in: open.map((row) => row.id) } }, data: { endedAt } });
      return toRecord({ ...newest, endedAt });
    });
  }

  async openIncidents(): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({ where: { endedAt: null }, orderBy: { startedAt: 'desc' } });
    return rows.map(toRecord);
  }

  /** Newest first. */
  async listForMirror(mirrorId: string, limit = 50): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({ where: { mirrorId }, orderBy: { startedAt: 'desc' }, take: limit });
    return rows.map(toRecord);
  }

  /** Newest first, narrowed to `mirrorIds` and, when `open` is set, to open (true) or closed (false) incidents. */
  async list(query: { mirrorIds: readonly string[]; open?: boolean; limit: number }): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({
      where: {
        mirrorId: { in: [...query.mirrorIds] },
        ...(query.open === undefined ? {} : { endedAt: query.open ? null : { not: null } }),
      },
      orderBy: [{ startedAt: 'desc' }, { id: 'desc' }],
      take: query.limit,
    });
    return rows.map(toRecord);
  }

  /** Incidents that overlap [since, now]: still open, ended after `since`, or started after it. Newest first. */
  async listSince(since: Date): Promise<IncidentRecord[]> {
    const rows = await this.prisma.client.incident.findMany({
      where: { OR: [{ endedAt: null }, { endedAt: { gte: since } }, { startedAt: { gte: since } }] },
      orderBy: { startedAt: 'desc' },
    });
    return rows.map(toRecord);
  }
}

function toRecord(row: IncidentRow): IncidentRecord {
  return {
    id: row.id,
    mirrorId: row.mirrorId,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    // See probe-record.ts: a retired class reads as 'internal'.
    failureClass: isFailureClass(row.failureClass) ? row.failureClass : 'internal',
    detail: row.detail,
  };
}
