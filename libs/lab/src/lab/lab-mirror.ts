import type { FailureClass, Visibility } from '@mirrorwatch/domain';

/** The mirrors every lab starts: what `npm run lab` shows a newcomer. */
export const STANDARD_VARIANTS = ['healthy', 'token', 'dead', 'hang', 'manifest-503', 'rate-limited'] as const;
/** Further misbehaviours, started on request (probe-engine and scoring scenarios). */
export const EXTRA_VARIANTS = ['slow', 'stale', 'corrupt-blob', 'stalled-blob', 'cdn-redirect', 'allowlist', 'tls'] as const;

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
   * The failure class a deep probe of library/alpine:latest should report
   * (null: success). For `allowlist`, the class expected when the probe also
   * checks a non-library repository.
   */
  expectedFailure: FailureClass | null;
}
