import type { ProbeDto } from '@mirrorwatch/api-types';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';

export function toProbeDto(record: ProbeRecord): ProbeDto {
  return {
    id: String(record.id),
    mirrorId: record.mirrorId,
    vantage: record.vantageId,
    kind: record.kind,
    repository: record.repository,
    startedAt: record.startedAt.toISOString(),
    durationMs: record.durationMs,
    ok: record.ok,
    failureClass: record.failureClass,
    failedPhase: record.failedPhase,
    detail: record.detail,
    httpStatus: record.httpStatus,
    timings: record.timings,
    digest: record.manifest?.digest ?? null,
    mediaType: record.manifest?.mediaType ?? null,
    throughputBytesPerSec: record.blob?.throughputBytesPerSec ?? null,
    blobVerified: record.blob?.verified ?? null,
    retryAfterSeconds: record.retryAfterSeconds,
  };
}
