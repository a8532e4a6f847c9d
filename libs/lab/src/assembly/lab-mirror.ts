import type { FailureClass, Visibility } from '@mirrorwatch/domain';

/** The mirrors every lab starts: what `npm run lab` shows a newcomer. */
export const STANDARD_VARIANTS = ['healthy', 'token', 'dead', 'hang', 'manifest-503', 'rate-limited'] as const;
/** Further misbehaviours, started on request (probe-engine and scoring scenarios). */
export const EXTRA_VARIANTS = ['slow', 'stale', 'corrupt-blob', 'stalled-blob', 'cdn-redirect', 'allowlist', 'partial', 'tls'] as const;

export type StandardVariant = (typeof STANDARD_VARIANTS)[number];
export type ExtraVariant = (typeof EXTRA_VARIANTS)[number];
export type LabVariant = StandardVariant | ExtraVariant;

export function isExtraVariant(value: string): value is ExtraVariant {
  return (EXTRA_VARIANTS as readonly string[]).includes(value);
}

/** One mirror of the lab, with what a correct probe should conclude about it. */
export interface LabMirror {
  variant: LabVariant;
  name: string;
  /** Base URL as it goes into `registry-mirrors`: scheme, 127.0.0.1 and port, no path. */
  url: string;
  host: string;
  provider: string;
  notes: string;
  visibility: Visibility;
  /** PEM bundle to trust for this mirror (private CA), else null. */
  caPath: string | null;
  /**
   * What mirrorwatch should conclude about this mirror (null: healthy). Most
   * classes come straight from a deep probe of library/alpine:latest; two need
   * more than one probe: `stale` (the probe reports the digest, scoring compares
   * it with the upstream's for longer than a grace period) and `allowlisted`
   * (a probe of a non-library repository gets 403 `forbidden` while
   * library/alpine works).
   */
  expectedFailure: FailureClass | null;
}
