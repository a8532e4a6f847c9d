import { isFailureClass, PROBE_PHASES, type FailureClass, type ProbePhase, type ProbeResult } from '@mirrorwatch/domain';
import type { ProbeRow } from './prisma-client.factory.js';

/**
 * A stored probe: the ProbeResult the engine produced, plus where it was
 * stored. Plain data with Dates as Date, so scoring code that takes a
 * ProbeResult takes a ProbeRecord too.
 */
export interface ProbeRecord extends ProbeResult {
  id: number;
  mirrorId: string;
  vantageId: string;
  /** Repository probed; null when unknown (failed before a manifest and the caller did not say). */
  repository: string | null;
}

/** Columns for one ProbeResult; the inverse of toProbeRecord. */
export function probeColumns(mirrorId: string, vantageId: string, result: ProbeResult, repository: string | null) {
  return {
    mirrorId,
    vantageId,
    kind: result.kind,
    repository: repository ?? result.manifest?.repository ?? null,
    reference: result.manifest?.reference ?? null,
    startedAt: result.startedAt,
    durationMs: result.durationMs,
    ok: result.ok,
    failureClass: result.failureClass,
    failedPhase: result.failedPhase,
    detail: result.detail,
    httpStatus: result.httpStatus,
    ...result.timings,
    manifestDigest: result.manifest?.digest ?? null,
    mediaType: result.manifest?.mediaType ?? null,
    platformDigest: result.manifest?.platformDigest ?? null,
    blobDigest: result.blob?.digest ?? null,
    blobBytes: result.blob?.bytes ?? null,
    blobVerified: result.blob?.verified ?? null,
    blobRedirects: result.blob?.redirects ?? null,
    throughputBytesPerSec: result.blob?.throughputBytesPerSec ?? null,
    retryAfterSeconds: result.retryAfterSeconds,
  };
}

export function toProbeRecord(row: ProbeRow): ProbeRecord {
  return {
    id: row.id,
    mirrorId: row.mirrorId,
    vantageId: row.vantageId,
    repository: row.repository,
    kind: row.kind === 'deep' ? 'deep' : 'light',
    startedAt: row.startedAt,
    durationMs: row.durationMs,
    ok: row.ok,
    failureClass: toFailureClass(row.failureClass),
    failedPhase: toPhase(row.failedPhase),
    detail: row.detail,
    httpStatus: row.httpStatus,
    timings: {
      dnsMs: row.dnsMs,
      connectMs: row.connectMs,
      tlsMs: row.tlsMs,
      pingTtfbMs: row.pingTtfbMs,
      tokenMs: row.tokenMs,
      manifestMs: row.manifestMs,
      blobTtfbMs: row.blobTtfbMs,
      blobTransferMs: row.blobTransferMs,
    },
    manifest:
      row.manifestDigest === null
        ? null
        : {
            repository: row.repository ?? '',
            reference: row.reference ?? '',
            digest: row.manifestDigest,
            mediaType: row.mediaType ?? '',
            platformDigest: row.platformDigest,
          },
    blob:
      row.blobDigest === null
        ? null
        : {
            digest: row.blobDigest,
            bytes: row.blobBytes ?? 0,
            throughputBytesPerSec: row.throughputBytesPerSec,
            verified: row.blobVerified ?? false,
            redirects: row.blobRedirects ?? 0,
          },
    retryAfterSeconds: row.retryAfterSeconds,
  };
}

/**
 * A class retired from FAILURE_CLASSES may still sit in old rows; it reads as
 * 'internal' so closed-set switches downstream stay exhaustive.
 */
function toFailureClass(value: string | null): FailureClass | null {
  if (value === null) return null;
  return isFailureClass(value) ? value : 'internal';
}

function toPhase(value: string | null): ProbePhase | null {
  return value !== null && (PROBE_PHASES as readonly string[]).includes(value) ? (value as ProbePhase) : null;
}
