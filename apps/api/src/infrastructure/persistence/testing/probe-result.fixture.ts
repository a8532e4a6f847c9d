import { emptyTimings, type ProbeResult } from '@mirrorwatch/domain';

/** A successful light probe at `startedAt`; override any field. Test-only. */
export function lightProbe(startedAt: Date, overrides: Partial<ProbeResult> = {}): ProbeResult {
  return {
    kind: 'light',
    startedAt,
    durationMs: 120.5,
    ok: true,
    failureClass: null,
    failedPhase: null,
    detail: null,
    httpStatus: 200,
    timings: { ...emptyTimings(), dnsMs: 1.25, connectMs: 10, tlsMs: 20, pingTtfbMs: 30, tokenMs: 40, manifestMs: 50 },
    manifest: {
      repository: 'library/alpine',
      reference: 'latest',
      digest: 'sha256:1111111111111111111111111111111111111111111111111111111111111111',
      mediaType: 'application/vnd.oci.image.index.v1+json',
      platformDigest: 'sha256:2222222222222222222222222222222222222222222222222222222222222222',
    },
    blob: null,
    retryAfterSeconds: null,
    ...overrides,
  };
}

/** A successful deep probe with a verified blob. */
export function deepProbe(startedAt: Date, throughputBytesPerSec: number): ProbeResult {
  const base = lightProbe(startedAt);
  return {
    ...base,
    kind: 'deep',
    timings: { ...base.timings, blobTtfbMs: 70, blobTransferMs: 800 },
    blob: {
      digest: 'sha256:3333333333333333333333333333333333333333333333333333333333333333',
      bytes: 3_500_000,
      throughputBytesPerSec,
      verified: true,
      redirects: 1,
    },
  };
}

/** A failed probe of the given class. */
export function failedProbe(
  startedAt: Date,
  failureClass: NonNullable<ProbeResult['failureClass']>,
  overrides: Partial<ProbeResult> = {},
): ProbeResult {
  return {
    ...lightProbe(startedAt),
    ok: false,
    failureClass,
    failedPhase: 'manifest',
    detail: `probe failed: ${failureClass}`,
    httpStatus: failureClass === 'rate_limited' ? 429 : null,
    timings: { ...emptyTimings(), dnsMs: 2 },
    manifest: null,
    ...overrides,
  };
}
