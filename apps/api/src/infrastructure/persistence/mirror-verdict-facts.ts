import { z } from 'zod';
import type { FreshnessState } from '@mirrorwatch/scoring';

/**
 * What the scheduler concluded about one mirror at the end of a cycle, beyond
 * its raw probes. Stored as versioned JSON (`MirrorVerdict.facts`) so a new
 * kind of verdict is a new optional key (or a new version), not a migration
 * per field; readers never serve a shape they cannot parse.
 */
export interface MirrorVerdictFacts {
  freshness: {
    state: FreshnessState;
    /** Top-level digest the mirror served for the probed tag. */
    servedDigest: string;
    /** Start of the current disagreement with the reference; null when fresh or unknown. */
    differentSince: Date | null;
  };
}

/** Bump when a stored shape changes meaning; add optional keys without a bump. */
export const MIRROR_VERDICT_FACTS_VERSION = 1;

const FRESHNESS_STATES = ['fresh', 'lagging', 'stale', 'unknown'] as const satisfies readonly FreshnessState[];

const factsV1 = z.object({
  freshness: z.object({
    state: z.enum(FRESHNESS_STATES),
    servedDigest: z.string(),
    differentSince: z.iso.datetime().nullable(),
  }),
});

export function encodeMirrorVerdictFacts(facts: MirrorVerdictFacts): string {
  const { freshness } = facts;
  return JSON.stringify({ freshness: { ...freshness, differentSince: freshness.differentSince?.toISOString() ?? null } });
}

/** The facts of a stored row, or null for a version this code does not know or a body it cannot read. */
export function decodeMirrorVerdictFacts(version: number, text: string): MirrorVerdictFacts | null {
  if (version !== MIRROR_VERDICT_FACTS_VERSION) return null;
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = factsV1.safeParse(json);
  if (!parsed.success) return null;
  const { freshness } = parsed.data;
  return { freshness: { ...freshness, differentSince: freshness.differentSince === null ? null : new Date(freshness.differentSince) } };
}
