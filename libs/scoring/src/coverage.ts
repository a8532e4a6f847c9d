import type { FailureClass } from '@mirrorwatch/domain';

/**
 * How much of Docker Hub a mirror serves, judged on a small set of tested images:
 * - `all`: every tested image that exists is served;
 * - `library_only`: official `library/` images are served, every non-library one is refused (an allowlist, as DaoCloud's);
 * - `partial`: some tested images are refused or missing while others serve them;
 * - `unknown`: no evidence yet (not checked, or every answer was a transient failure).
 */
export type CoverageVerdict = 'all' | 'library_only' | 'partial' | 'unknown';

/** One mirror's (or the reference registry's) answer for one tested image. */
export interface ImageAnswer {
  /** `repository:tag`, the key of the tested image. */
  image: string;
  ok: boolean;
  failureClass: FailureClass | null;
  /** The registry's own words (e.g. `DENIED ... not in whitelist`), used to recognise refusals. */
  detail: string | null;
}

export interface CoverageInput {
  /** The tested images, in configuration order, with whether each is an official library image. */
  images: readonly { image: string; library: boolean }[];
  /** Latest answers per mirror. */
  answers: ReadonlyMap<string, readonly ImageAnswer[]>;
  /** Mirrors that serve the main probe image now: only they can vouch that an image exists. */
  working: ReadonlySet<string>;
  /** The reference registry's latest answers, when it could be asked; absent for an image it was not asked about. */
  reference: ReadonlyMap<string, ImageAnswer>;
}

export interface MirrorCoverage {
  verdict: CoverageVerdict;
  /** Tested images the mirror refuses, with evidence that the refusal is the mirror's (see `isRefusal`). */
  failing: { image: string; failureClass: FailureClass }[];
  /** Tested images with a verdict (served, or refused with evidence). */
  judged: number;
  /** Share of judged images served, 0..1; null without any. */
  servedShare: number | null;
}

export interface CoverageJudgement {
  mirrors: Map<string, MirrorCoverage>;
  /**
   * Tested images nobody can show exist: the reference registry did not serve
   * them (unreachable, or it answered 404) and no working mirror serves them.
   * Such an image is a configuration problem, not a mirror problem: it is
   * reported to the operator and no mirror's 404 for it counts against it.
   */
  brokenImages: string[];
}

/** Refusal words registries use for allowlists: DaoCloud's 403 says "not in whitelist"; the spec's code is DENIED. */
const REFUSAL_WORDS = /\b(denied|whitelist|allowlist|not allowed)\b/i;

/**
 * A refusal is positive evidence that a mirror will not serve an image: a
 * 403, or a registry error saying DENIED / whitelist. A plain 404 is a
 * refusal too once someone else shows the image exists (`judgeCoverage`).
 * Timeouts, 5xx and 429 say nothing about coverage.
 */
export function isRefusal(answer: ImageAnswer): boolean {
  if (answer.ok) return false;
  if (answer.failureClass === 'forbidden') return true;
  return (answer.failureClass === 'auth' || answer.failureClass === 'not_found') && REFUSAL_WORDS.test(answer.detail ?? '');
}

/**
 * Judges every mirror's coverage by evidence, never by absence: an image
 * counts against a mirror only when the reference registry or another working
 * mirror shows it exists right now, and the mirror refused it (403, DENIED,
 * "whitelist") or answered 404. An image nobody can show exists counts
 * against no mirror, whatever they answered: it is reported as broken.
 */
export function judgeCoverage(input: CoverageInput): CoverageJudgement {
  const existing = new Set<string>();
  for (const { image } of input.images) {
    if (input.reference.get(image)?.ok) existing.add(image);
  }
  for (const [mirrorId, answers] of input.answers) {
    if (!input.working.has(mirrorId)) continue;
    for (const answer of answers) if (answer.ok) existing.add(answer.image);
  }
  const brokenImages = input.images.map((i) => i.image).filter((image) => !existing.has(image));

  const mirrors = new Map<string, MirrorCoverage>();
  for (const [mirrorId, answers] of input.answers) {
    mirrors.set(mirrorId, judgeMirror(input.images, answers, existing));
  }
  return { mirrors, brokenImages };
}

function judgeMirror(images: CoverageInput['images'], answers: readonly ImageAnswer[], existing: ReadonlySet<string>): MirrorCoverage {
  const byImage = new Map(answers.map((answer) => [answer.image, answer]));
  const failing: MirrorCoverage['failing'] = [];
  let served = 0;
  let servedLibrary = 0;
  let refusedNonLibrary = 0;
  let existingNonLibrary = 0;
  for (const { image, library } of images) {
    // An image nobody can show exists is a broken configuration: no answer about it, a 403 included, counts.
    if (!existing.has(image)) continue;
    const answer = byImage.get(image);
    if (!library) existingNonLibrary += 1;
    if (!answer) continue;
    if (answer.ok) {
      served += 1;
      if (library) servedLibrary += 1;
      continue;
    }
    const refused = isRefusal(answer) || answer.failureClass === 'not_found';
    if (!refused) continue;
    failing.push({ image, failureClass: answer.failureClass ?? 'not_found' });
    if (!library) refusedNonLibrary += 1;
  }
  const judged = served + failing.length;
  const servedShare = judged === 0 ? null : served / judged;
  if (judged === 0) return { verdict: 'unknown', failing, judged, servedShare };
  if (failing.length === 0) return { verdict: 'all', failing, judged, servedShare };
  const refusesEveryNonLibrary = refusedNonLibrary > 0 && refusedNonLibrary === failing.length && refusedNonLibrary >= existingNonLibrary;
  const verdict = refusesEveryNonLibrary && servedLibrary > 0 && served === servedLibrary ? 'library_only' : 'partial';
  return { verdict, failing, judged, servedShare };
}
