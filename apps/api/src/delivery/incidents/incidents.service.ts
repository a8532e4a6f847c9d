import { Injectable } from '@nestjs/common';
import type { IncidentDto } from '@mirrorwatch/api-types';
import { IncidentRepository } from '#infrastructure/persistence/incident.repository.js';
import { PublicMirrorResolver } from '../mirrors/public-mirror.resolver.js';
import { toIncidentDto } from './incident-dto.mapper.js';

export interface IncidentQuery {
  mirrorId?: string;
  /** Where the incidents were seen (a resolved, live vantage id). */
  vantageId: string;
  open?: boolean;
  limit: number;
}

@Injectable()
export class IncidentsService {
  constructor(
    private readonly incidents: IncidentRepository,
    private readonly mirrors: PublicMirrorResolver,
  ) {}

  /** Newest first, public mirrors only: asking for a private mirror's incidents gets an empty list, like an unknown id. */
  async list(query: IncidentQuery): Promise<IncidentDto[]> {
    const names = new Map((await this.mirrors.listPublic()).map((mirror) => [mirror.id, mirror.name]));
    const mirrorIds = query.mirrorId === undefined ? [...names.keys()] : names.has(query.mirrorId) ? [query.mirrorId] : [];
    if (mirrorIds.length === 0) return [];
    const records = await this.incidents.list({ mirrorIds, vantageId: query.vantageId, open: query.open, limit: query.limit });
    return records.map((record) => toIncidentDto(record, names.get(record.mirrorId) ?? record.mirrorId));
  }
}
