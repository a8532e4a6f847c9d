import { byCodeUnits, type MirrorStatus } from '@mirrorwatch/domain';
import type { CoverageVerdict } from './coverage.js';
import type { FreshnessState } from './freshness.js';
import type { DegradedReason } from './mirror-state.js';
import { DEFAULT_RANKING_POLICY, type RankingPolicy } from './policy.js';

/** What ranking needs to know about one mirror, aggregated by the caller over its windows. */
export interface MirrorStats {
  id: string;
  /** Normalized mirror URL (what ends up in daemon.json). */
  url: string;
  status: MirrorStatus;
  degradedReason: DegradedReason | null;
  /** Fraction of light probes that succeeded over the stability window (24 h); null with no probes. */
  successRate24h: number | null;
  /** Manifest latency p50 over the speed window (1 h); null with no successful manifest. */
  manifestP50Ms1h: number | null;
  /** Blob throughput from deep probes (latest or median over the window); null when none. */
  throughputBytesPerSec: number | null;
  /** Integrity failures (digest mismatch) within the stability window. */
  integrityFailuresInWindow: number;
  /** Verdict of the freshness check (see `decideFreshness`); `unknown` (no reference, no majority) holds nothing against it. */
  freshness: FreshnessState;
  /** Coverage of the tested images (see `judgeCoverage`); `unknown` holds nothing against it. */
  coverage: CoverageVerdict;
  /** Share of judged tested images the mirror serves; null when none was judged. */
  servedShare: number | null;
  /** Light probes over the stability window, and how many of them failed by hanging (timeouts). */
  probes24h: number;
  hangs24h: number;
}

export type IneligibleReason = 'down' | 'unknown' | 'stale' | 'integrity';

/**
 * Where a working mirror belongs in a list dockerd walks in order:
 * 0 serves every tested image, current; 1 refuses some images (an allowlist,
 * or an upstream without them): dockerd falls back after one fast refusal,
 * so it is still worth having, after the full ones; 2 lagging (serves an
 * older digest within the grace period): dockerd takes whatever the first
 * answering mirror serves, so an old image is worse than a refusal.
 */
export type PlacementTier = 0 | 1 | 2;

export function placementTier(stats: Pick<MirrorStats, 'freshness' | 'coverage'>): PlacementTier {
  if (stats.freshness === 'lagging') return 2;
  return stats.coverage === 'library_only' || stats.coverage === 'partial' ? 1 : 0;
}

export interface RankedMirror extends MirrorStats {
  eligible: boolean;
  ineligibleReason: IneligibleReason | null;
  /** 1-based position among eligible mirrors; null when ineligible. */
  rank: number | null;
  tier: PlacementTier;
  /** floor(successRate24h / bucket width); -1 without data. Mirrors in one bucket are equally reliable. */
  successBucket: number;
}

/**
 * Why a mirror must not be handed to dockerd. Integrity beats everything (it
 * corrupts pulls); down and never-probed mirrors cost every pull a timeout
 * before fallback; stale ones serve old images past the grace period. An
 * allowlisting mirror stays eligible: dockerd falls back to the next mirror
 * on its 403 at the cost of one round trip, so it ranks after the full ones
 * instead (`placementTier`). The list is empty only when no mirror serves
 * library images at all.
 */
export function ineligibleReason(stats: MirrorStats): IneligibleReason | null {
  if (stats.integrityFailuresInWindow > 0) return 'integrity';
  if (stats.status === 'down') return 'down';
  if (stats.status === 'unknown') return 'unknown';
  if (stats.freshness === 'stale' || stats.degradedReason === 'stale') return 'stale';
  return null;
}

/**
 * Orders mirrors best first: eligible ones by placement tier (full and
 * current, then reduced coverage, then lagging), then success-rate bucket (24 h,
 * higher first), then manifest p50 (1 h, lower first), then throughput
 * (higher first), then id so equal mirrors always come out in one order.
 * Ineligible mirrors follow, by id, with their reason and no rank.
 */
export function rankMirrors(stats: readonly MirrorStats[], policy: RankingPolicy = DEFAULT_RANKING_POLICY): RankedMirror[] {
  if (!(policy.successRateBucket > 0 && policy.successRateBucket <= 1)) {
    throw new RangeError(`successRateBucket must be within (0, 1], got ${policy.successRateBucket}`);
  }
  // One new object per mirror, ranked in place: this runs for every scope and upstream on each rebuild,
  // and a second spread per mirror doubled what it allocated (issue 10).
  const annotated = stats.map((s): RankedMirror => ({
    ...s,
    ineligibleReason: ineligibleReason(s),
    tier: placementTier(s),
    successBucket: s.successRate24h === null ? -1 : bucketOf(s.successRate24h, policy.successRateBucket),
    eligible: false,
    rank: null,
  }));
  const eligible = annotated.filter((s) => s.ineligibleReason === null).sort(compareEligible);
  const ineligible = annotated.filter((s) => s.ineligibleReason !== null).sort((a, b) => byCodeUnits(a.id, b.id));
  eligible.forEach((s, index) => {
    s.eligible = true;
    s.rank = index + 1;
  });
  return eligible.concat(ineligible);
}

function bucketOf(rate: number, width: number): number {
  // The epsilon keeps 0.98 / 0.02 (= 48.999...) in bucket 49.
  return Math.floor(Math.min(Math.max(rate, 0), 1) / width + 1e-9);
}

type Comparable = Pick<RankedMirror, 'id' | 'tier' | 'successBucket' | 'manifestP50Ms1h' | 'throughputBytesPerSec'>;

function compareEligible(a: Comparable, b: Comparable): number {
  return (
    a.tier - b.tier ||
    b.successBucket - a.successBucket ||
    compareNullable(a.manifestP50Ms1h, b.manifestP50Ms1h, 'asc') ||
    compareNullable(a.throughputBytesPerSec, b.throughputBytesPerSec, 'desc') ||
    byCodeUnits(a.id, b.id)
  );
}

/** Missing figures sort after present ones in either direction. */
function compareNullable(a: number | null, b: number | null, direction: 'asc' | 'desc'): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return direction === 'asc' ? a - b : b - a;
}
