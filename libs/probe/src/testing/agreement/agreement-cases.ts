import type { FailureClass } from '@mirrorwatch/domain';
import {
  ALPINE_REPOSITORY,
  EXTRA_VARIANTS,
  PROBE_TARGET_REPOSITORY,
  SECOND_TARGET_REPOSITORY,
  STANDARD_VARIANTS,
  type LabVariant,
} from '@mirrorwatch/lab';

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
 * Every lab variant pulling library/alpine:latest, plus rows that make the
 * policy and TLS verdicts checkable by real clients too: the allowlist mirror
 * asked for a non-library repository (what the coverage checks do), the
 * partial mirror asked for an image its upstream has and one it lacks, and
 * the tls mirror with no CA given (verification really is on).
 */
export const AGREEMENT_CASES: readonly AgreementCase[] = [
  ...[...STANDARD_VARIANTS, ...EXTRA_VARIANTS].map((variant): AgreementCase => {
    const base = { id: variant, variant, repository: ALPINE_REPOSITORY, giveCa: true };
    switch (variant) {
      case 'stale':
        return {
          ...base,
          policy:
            'lagging, then stale: an older library/alpine:latest still pulls, so a single probe and every client say usable; ' +
            'the scheduler calls the mirror lagging (recommended after every current mirror) while its digest differs from the reference ' +
            "(upstream, or the working mirrors' majority when upstream is unreachable), and stale (not recommended) past the grace period",
        };
      case 'allowlist':
        return {
          ...base,
          policy:
            'allowlisted: library images pull, so the library/alpine probe and every client say usable; ' +
            'the scheduler marks the mirror allowlisted (library only: recommended after the full mirrors) when its coverage checks ' +
            'of non-library images that other mirrors serve are refused (row "allowlist, non-library repo")',
        };
      case 'partial':
        return {
          ...base,
          policy:
            "coverage partial: library/alpine pulls, so the probe and every client say usable; the scheduler's coverage checks get a 404 " +
            'for an image the other mirrors serve (row "partial, image its upstream lacks") and rank it after the full mirrors',
        };
      default:
        return base;
    }
  }),
  {
    id: 'allowlist, non-library repo',
    variant: 'allowlist',
    repository: PROBE_TARGET_REPOSITORY,
    giveCa: true,
    expectedClass: 'forbidden',
  },
  {
    id: 'partial, non-library image its upstream has',
    variant: 'partial',
    repository: PROBE_TARGET_REPOSITORY,
    giveCa: true,
    expectedClass: null,
  },
  {
    id: 'partial, image its upstream lacks',
    variant: 'partial',
    repository: SECOND_TARGET_REPOSITORY,
    giveCa: true,
    expectedClass: 'not_found',
  },
  { id: 'tls, CA not given', variant: 'tls', repository: ALPINE_REPOSITORY, giveCa: false, expectedClass: 'tls' },
];

/** The class a single deep probe must report: policy classes are decided above the probe, so null there. */
export function expectedProbeClass(agreementCase: AgreementCase, labExpectation: FailureClass | null): FailureClass | null {
  if (agreementCase.expectedClass !== undefined) return agreementCase.expectedClass;
  return POLICY_CLASSES.includes(labExpectation) ? null : labExpectation;
}
