import type { FailureClass } from './failure-class.js';

export type ProbeKind = 'light' | 'deep';

/** The steps of a pull, in the order dockerd performs them. */
export const PROBE_PHASES = ['dns', 'connect', 'tls', 'ping', 'token', 'manifest', 'config', 'blob'] as const;
export type ProbePhase = (typeof PROBE_PHASES)[number];

/**
 * Milliseconds spent in each phase; null when the phase did not run (no TLS on
 * http, no token when /v2/ answered 200, no blob on a light probe) or the probe
 * failed before it.
 */
export interface PhaseTimings {
  /** DNS lookup of the mirror host (0 for IP literals). */
  dnsMs: number | null;
  /** TCP handshake. */
  connectMs: number | null;
  /** TLS handshake (https only). */
  tlsMs: number | null;
  /** `GET /v2/`: from sending the request to the first response byte. */
  pingTtfbMs: number | null;
  /** Whole token exchange, including its own connection when the realm is another host. */
  tokenMs: number | null;
  /** Manifest request to last body byte (the figure users feel on every pull). */
  manifestMs: number | null;
  /** Blob request to first body byte, including redirects (deep probes). */
  blobTtfbMs: number | null;
  /** Blob first byte to last byte (deep probes). */
  blobTransferMs: number | null;
}

export interface ManifestObservation {
  /** Repository probed, e.g. `library/alpine`. */
  repository: string;
  reference: string;
  /** Digest of the top-level manifest or index as served (Docker-Content-Digest or sha256 of the body). */
  digest: string;
  mediaType: string;
  /** Digest of the linux/amd64 image manifest when the top level is an index. */
  platformDigest: string | null;
}

export interface BlobObservation {
  digest: string;
  /** Bytes received (all of them on success, what arrived before a failure otherwise). */
  bytes: number;
  /** Bytes per second measured from the first body byte to the last. */
  throughputBytesPerSec: number | null;
  /** True when the sha256 of the full body matched the digest. */
  verified: boolean;
  redirects: number;
}

/** A probe's outcome is data: the engine never throws, it fills one of these. */
export interface ProbeResult {
  kind: ProbeKind;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
  failureClass: FailureClass | null;
  /** The phase that failed, when one did. */
  failedPhase: ProbePhase | null;
  /** Short human-readable explanation, safe to show publicly (no tokens). */
  detail: string | null;
  /** Last HTTP status seen, if any. */
  httpStatus: number | null;
  timings: PhaseTimings;
  manifest: ManifestObservation | null;
  blob: BlobObservation | null;
  /** Seconds the mirror asked us to wait (429 Retry-After). */
  retryAfterSeconds: number | null;
}

export function emptyTimings(): PhaseTimings {
  return {
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    pingTtfbMs: null,
    tokenMs: null,
    manifestMs: null,
    blobTtfbMs: null,
    blobTransferMs: null,
  };
}
