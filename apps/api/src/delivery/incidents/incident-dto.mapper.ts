import type { IncidentDto } from '@mirrorwatch/api-types';
import type { IncidentRecord } from '#infrastructure/persistence/incident.repository.js';

/**
 * Incidents open only when a mirror goes down (see MirrorStateTracker), so the
 * severity is always 'down' today; the DTO keeps 'degraded' for later. The
 * cause is the probe's detail, which the probe engine keeps free of tokens.
 */
export function toIncidentDto(record: IncidentRecord, mirrorName: string): IncidentDto {
  return {
    id: String(record.id),
    mirrorId: record.mirrorId,
    mirrorName,
    vantage: record.vantageId,
    severity: 'down',
    startedAt: record.startedAt.toISOString(),
    endedAt: record.endedAt ? record.endedAt.toISOString() : null,
    failureClass: record.failureClass,
    cause: record.detail,
  };
}
