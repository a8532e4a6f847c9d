/**
 * What a test suite needs from the machine beyond npm packages, and the one
 * way to go without it. A suite whose requirement is missing fails, naming
 * the package and how to get it (`.ci/run` installs all of them); a developer
 * who wants a quick local run without, say, PostgreSQL says so explicitly:
 *
 *   MIRRORWATCH_SKIP=postgres,chromium npm test
 *
 * Suites skipped that way carry `[MIRRORWATCH_SKIP=<name>]` in their name, and
 * the closing-line reporter (tools/vitest) prints what the variable left out.
 * There is no silent skip: not on a missing binary, not outside CI.
 */

/** Everything a suite may be excused from with MIRRORWATCH_SKIP. */
export const SKIPPABLE_REQUIREMENTS = ['postgres', 'chromium', 'containerd', 'skopeo'] as const;
export type SkippableRequirement = (typeof SKIPPABLE_REQUIREMENTS)[number];

export const SKIP_VARIABLE = 'MIRRORWATCH_SKIP';

/** The names in MIRRORWATCH_SKIP; an unknown name is an error, so a typo never skips nothing while looking like it did. */
export function requestedSkips(value: string | undefined = process.env[SKIP_VARIABLE]): Set<SkippableRequirement> {
  const names = (value ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(SKIPPABLE_REQUIREMENTS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new Error(`${SKIP_VARIABLE}: unknown ${unknown.join(', ')}; allowed: ${SKIPPABLE_REQUIREMENTS.join(', ')}`);
  }
  return new Set(names as SkippableRequirement[]);
}

/** The marker a skipped suite's name carries, which the closing-line reporter counts. */
export function skipMarker(name: SkippableRequirement): string {
  return `[${SKIP_VARIABLE}=${name}]`;
}

export interface RequirementCheck {
  name: SkippableRequirement;
  /** Null when present; else what is missing, e.g. "skopeo is not on PATH". */
  missing: string | null;
  /** How to get it, e.g. "apt-get install -y skopeo". */
  install: string;
}

export interface RequirementDecision {
  /** True only when MIRRORWATCH_SKIP names this requirement. */
  skip: boolean;
  /** Append to the suite's name: the marker when skipped, else empty. */
  label: string;
}

export class MissingTestRequirementError extends Error {}

/**
 * Run (the requirement is present), skip (MIRRORWATCH_SKIP names it, whether
 * present or not: the developer asked), or throw naming what is missing and how
 * to get it. Call at module level so a missing requirement fails the file.
 */
export function requirement(check: RequirementCheck): RequirementDecision {
  if (requestedSkips().has(check.name)) return { skip: true, label: ` ${skipMarker(check.name)}` };
  if (check.missing === null) return { skip: false, label: '' };
  throw new MissingTestRequirementError(
    `${check.missing}. Install it (${check.install}; .ci/run installs every test dependency) ` +
      `or skip these tests on purpose with ${SKIP_VARIABLE}=${check.name}.`,
  );
}
