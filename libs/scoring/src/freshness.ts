import { byCodeUnits } from '@mirrorwatch/domain';

/** One manifest digest a mirror served for the probed tag. */
export interface DigestObservation {
  mirrorId: string;
  digest: string;
  observedAt: Date;
}

/** The digest a tag should resolve to now. */
export interface ReferenceDigest {
  digest: string;
  source: 'upstream' | 'majority';
  /**
   * When this digest was first seen as the reference (e.g. the first upstream
   * probe that returned it). Lag is counted from here: a mirror serving the
   * previous digest only started lagging when the tag moved. When absent, the
   * earliest observation of the digest among `observations` is used.
   */
  firstSeenAt?: Date;
}

export type FreshnessState = 'fresh' | 'lagging' | 'stale' | 'unknown';

export interface FreshnessVerdict {
  mirrorId: string;
  /** fresh: serves the reference; lagging: differs, within grace; stale: differs past grace; unknown: no reference. */
  state: FreshnessState;
  servedDigest: string;
  /** Start of the current disagreement with the reference; null when fresh or unknown. */
  differentSince: Date | null;
}

/**
 * Judges each mirror's latest digest for one tag against the reference.
 * Mirrors cache manifests (DaoCloud documents up to ~1 h), so serving another
 * digest is only `stale` once it has lasted longer than `graceMs`, counted
 * from the later of: the start of the mirror's current run of non-reference
 * digests, and the moment the reference digest appeared. Observations after
 * `now` are ignored. Verdicts come out sorted by mirror id.
 */
export function decideFreshness(
  observations: readonly DigestObservation[],
  reference: ReferenceDigest | null,
  graceMs: number,
  now: Date,
): FreshnessVerdict[] {
  const past = observations.filter((o) => o.observedAt.getTime() <= now.getTime());
  const referenceSince = reference ? (reference.firstSeenAt ?? earliestOf(past, reference.digest) ?? now) : now;

  return [...groupByMirror(past)]
    .sort(([a], [b]) => byCodeUnits(a, b))
    .map(([mirrorId, history]) => {
      const latest = history[history.length - 1] as DigestObservation;
      if (!reference) return { mirrorId, state: 'unknown', servedDigest: latest.digest, differentSince: null };
      if (latest.digest === reference.digest) {
        return { mirrorId, state: 'fresh', servedDigest: latest.digest, differentSince: null };
      }
      let runStart = latest.observedAt;
      for (let i = history.length - 1; i >= 0; i--) {
        const observation = history[i] as DigestObservation;
        if (observation.digest === reference.digest) break;
        runStart = observation.observedAt;
      }
      const differentSince = new Date(Math.max(runStart.getTime(), referenceSince.getTime()));
      const stale = now.getTime() - differentSince.getTime() > graceMs;
      return { mirrorId, state: stale ? 'stale' : 'lagging', servedDigest: latest.digest, differentSince };
    });
}

/**
 * The digest most healthy mirrors serve now, used as the reference when the
 * upstream cannot be asked. Each mirror votes with its latest observation; the
 * winner needs a strict majority of voters and at least `minAgreeing` of them
 * (default 2: one mirror alone is no majority). Pass only healthy mirrors.
 */
export function majorityDigest(observations: readonly DigestObservation[], options: { minAgreeing?: number } = {}): ReferenceDigest | null {
  const minAgreeing = options.minAgreeing ?? 2;
  const votes = new Map<string, number>();
  const groups = groupByMirror(observations);
  for (const history of groups.values()) {
    const latest = history[history.length - 1] as DigestObservation;
    votes.set(latest.digest, (votes.get(latest.digest) ?? 0) + 1);
  }
  for (const [digest, count] of votes) {
    if (count * 2 > groups.size && count >= minAgreeing) {
      const firstSeenAt = earliestOf(observations, digest);
      return firstSeenAt ? { digest, source: 'majority', firstSeenAt } : { digest, source: 'majority' };
    }
  }
  return null;
}

/** Observations per mirror, oldest first. */
function groupByMirror(observations: readonly DigestObservation[]): Map<string, DigestObservation[]> {
  const groups = new Map<string, DigestObservation[]>();
  for (const o of observations) {
    const history = groups.get(o.mirrorId);
    if (history) history.push(o);
    else groups.set(o.mirrorId, [o]);
  }
  for (const history of groups.values()) history.sort((a, b) => a.observedAt.getTime() - b.observedAt.getTime());
  return groups;
}

function earliestOf(observations: readonly DigestObservation[], digest: string): Date | undefined {
  let earliest: Date | undefined;
  for (const o of observations) {
    if (o.digest === digest && (!earliest || o.observedAt < earliest)) earliest = o.observedAt;
  }
  return earliest;
}
