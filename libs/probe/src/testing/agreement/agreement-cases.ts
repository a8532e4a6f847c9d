import type { FailureClass } from '@mirrorwatch/domain';
import { ALPINE_REPOSITORY, EXTRA_VARIANTS, PROBE_TARGET_REPOSITORY, STANDARD_VARIANTS, type LabVariant } from '@mirrorwatch/lab';

/** One row of the agreement table: a lab mirror, what is pulled from it, and how. */
export interface AgreementCase {
  id: string;
  variant: LabVariant;
  repository: string;
  /** Give every client the mirror's private CA (only the tls mirror has one). */
  giveCa: boolean;
  /** The engine's expected class when it is not the lab mirror's own `expectedFailure`. */
  expectedClass?: FailureClass | null;
  /**
   * Why mirrorwatch's final word on this mirror is not the pull-level verdict:
   * a policy the scheduler applies over several probes, which no single pull
   * (ours or a client's) can show.
   */
  policy?: string;
}

const POLICY_CLASSES: readonly (FailureClass | null)[] = ['stale', 'allowlisted'];

/**
 * Every lab variant pulling library/alpine:latest, plus two rows that make the
 * policy and TLS verdicts checkable by real clients too: the allowlist mirror
 * asked for a non-library repository (what the scheduler's second probe
 * does), and the tls mirror with no CA given (verification really is on).
 */
export const AGREEMENT_CASES: readonly AgreementCase[] = [
  ...[...STANDARD_VARIANTS, ...EXTRA_VARIANTS].map((variant): AgreementCase => {
    const base = { id: variant, variant, repository: ALPINE_REPOSITORY, giveCa: true };
    switch (variant) {
      case 'stale':
        return {
          ...base,
          policy:
            'stale: an older library/alpine:latest still pulls, so a single probe and every client say usable; ' +
            'the scheduler marks the mirror stale once its digest differs from the upstream reference for longer than the grace period',
        };
      case 'allowlist':
        return {
          ...base,
          policy:
            'allowlisted: library images pull, so the library/alpine probe and every client say usable; ' +
            'the scheduler marks the mirror allowlisted when its second, non-library probe is refused (next row)',
        };
      default:
        return base;
    }
  }),
  { id: 'allowlist, non-library repo', variant: 'allowlist', repository: PROBE_TARGET_REPOSITORY, giveCa: true, expectedClass: 'forbidden' },
  { id: 'tls, CA not given', variant: 'tls', repository: ALPINE_REPOSITORY, giveCa: false, expectedClass: 'tls' },
];

/** The class a single deep probe must report: policy classes are decided above the probe, so null there. */
export function expectedProbeClass(agreementCase: AgreementCase, labExpectation: FailureClass | null): FailureClass | null {
  if (agreementCase.expectedClass !== undefined) return agreementCase.expectedClass;
  return POLICY_CLASSES.includes(labExpectation) ? null : labExpectation;
}
