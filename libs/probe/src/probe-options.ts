import type { OutboundPolicy } from './outbound/outbound-policy.js';

/** Where to probe: a mirror as dockerd's `registry-mirrors` entry names it. */
export interface ProbeTarget {
  /** Normalized base URL, scheme + host [+ port], e.g. `https://docker.m.daocloud.io`. */
  url: string;
  /** Extra CA certificate(s) to trust, PEM; system roots stay trusted. */
  caPem?: string | null;
  /**
   * Which addresses this probe may connect to, for the mirror and every hop it
   * names (token realm, redirects). Default: `scopeForConfiguredUrl(url)`, i.e.
   * private hops only for a mirror written as a private IP literal or localhost.
   */
  policy?: OutboundPolicy;
}

export interface ProbeTimeouts {
  /** TCP + TLS handshake of one connection. */
  connectMs: number;
  /** Request sent to end of response headers (overall, not per header line). */
  headersMs: number;
  /** Overall deadline for one response body, not an inactivity timeout: a drip feed still ends. */
  bodyMs: number;
  /** The whole token exchange, its own connection included. */
  tokenMs: number;
  /** The whole probe. */
  totalMs: number;
}

export interface ProbeCaps {
  headerBytes: number;
  manifestBytes: number;
  tokenBytes: number;
  blobBytes: number;
}

export interface ProbeOptions {
  kind: 'light' | 'deep';
  repository: string;
  reference: string;
  platform: { os: string; architecture: string };
  timeouts: ProbeTimeouts;
  caps: ProbeCaps;
  maxRedirects: number;
  userAgent: string;
  signal?: AbortSignal;
  /** Digest the caller expects (e.g. upstream's). Only reported on; freshness is decided by scoring. */
  expectedDigest?: string;
  /**
   * More platforms whose image manifests must also resolve (fetched by
   * digest, manifest only) when the tag is an index: a coverage check of a
   * multi-arch image for both linux/amd64 and linux/arm64 hosts.
   */
  alsoResolve?: readonly { os: string; architecture: string }[];
}

const MiB = 1024 * 1024;

export const DEFAULT_PROBE_OPTIONS: Readonly<ProbeOptions> = Object.freeze({
  kind: 'light',
  repository: 'library/alpine',
  reference: 'latest',
  platform: Object.freeze({ os: 'linux', architecture: 'amd64' }),
  timeouts: Object.freeze({ connectMs: 5_000, headersMs: 10_000, bodyMs: 15_000, tokenMs: 15_000, totalMs: 30_000 }),
  caps: Object.freeze({ headerBytes: 64 * 1024, manifestBytes: 4 * MiB, tokenBytes: 64 * 1024, blobBytes: 8 * MiB }),
  maxRedirects: 5,
  userAgent: 'mirrorwatch-probe/0.1 (+https://github.com/mirrorwatch)',
});

/** A deep probe moves blobs, so it gets a longer overall budget unless the caller sets one. */
export const DEFAULT_DEEP_TOTAL_MS = 120_000;

/**
 * What callers pass: any subset, grouped settings included (`{ timeouts: { totalMs: 5000 } }`).
 * Every `Partial<ProbeOptions>` is one.
 */
export type ProbeOptionsInput = Partial<Omit<ProbeOptions, 'timeouts' | 'caps' | 'platform'>> & {
  timeouts?: Partial<ProbeTimeouts>;
  caps?: Partial<ProbeCaps>;
  platform?: Partial<ProbeOptions['platform']>;
};

/** Merges caller options over the defaults, one level deep for the grouped settings. */
export function resolveProbeOptions(partial: ProbeOptionsInput = {}): ProbeOptions {
  const kind = partial.kind ?? DEFAULT_PROBE_OPTIONS.kind;
  const defaultTotal = kind === 'deep' ? DEFAULT_DEEP_TOTAL_MS : DEFAULT_PROBE_OPTIONS.timeouts.totalMs;
  return {
    ...DEFAULT_PROBE_OPTIONS,
    ...partial,
    kind,
    platform: { ...DEFAULT_PROBE_OPTIONS.platform, ...partial.platform },
    timeouts: { ...DEFAULT_PROBE_OPTIONS.timeouts, totalMs: defaultTotal, ...partial.timeouts },
    caps: { ...DEFAULT_PROBE_OPTIONS.caps, ...partial.caps },
  };
}
