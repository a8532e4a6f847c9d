import type { MirrorStatus } from '@mirrorwatch/domain';
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
  /** Verdict of the freshness check (see `decideFreshness`). */
  stale: boolean;
}

export type IneligibleReason = 'down' | 'unknown' | 'stale' | 'allowlisted' | 'integrity';

export interface RankedMirror extends MirrorStats {
  eligible: boolean;
  ineligibleReason: IneligibleReason | null;
  /** 1-based position among eligible mirrors; null when ineligible. */
  rank: number | null;
  /** floor(successRate24h / bucket width); -1 without data. Mirrors in one bucket are equally reliable. */
  successBucket: number;
}

/**
 * Why a mirror must not be handed to dockerd. Integrity beats everything (it
 * corrupts pulls); down and never-probed mirrors cost every pull a timeout
 * before fallback; stale ones serve old images. An allowlisted mirror answers
 * for `library/*` but 403s other images, and dockerd does not fall back per
 * image gracefully enough for that to be usable as a general mirror.
 */
export function ineligibleReason(stats: MirrorStats): IneligibleReason | null {
  if (stats.integrityFailuresInWindow > 0) return 'integrity';
  if (stats.status === 'down') return 'down';
  if (stats.status === 'unknown') return 'unknown';
  if (stats.stale || stats.degradedReason === 'stale') return 'stale';
  if (stats.degradedReason === 'allowlisted') return 'allowlisted';
  return null;
}

/**
 * Orders mirrors best first: eligible ones by success-rate bucket (24 h,
 * higher first), then manifest p50 (1 h, lower first), then throughput
 * (higher first), then id so equal mirrors always come out in one order.
 * Ineligible mirrors follow, by id, with their reason and no rank.
 */
export function rankMirrors(stats: readonly MirrorStats[], policy: RankingPolicy = DEFAULT_RANKING_POLICY): RankedMirror[] {
  if (!(policy.successRateBucket > 0 && policy.successRateBucket <= 1)) {
    throw new RangeError(`successRateBucket must be within (0, 1], got ${policy.successRateBucket}`);
  }
  const annotated = stats.map((s) => ({
    ...s,
    ineligibleReason: ineligibleReason(s),
    successBucket: s.successRate24h === null ? -1 : bucketOf(s.successRate24h, policy.successRateBucket),
  }));
  const eligible = annotated.filter((s) => s.ineligibleReason === null).sort(compareEligible);
  const ineligible = annotated.filter((s) => s.ineligibleReason !== null).sort((a, b) => compareIds(a.id, b.id));
  return [
    ...eligible.map((s, index) => ({ ...s, eligible: true, rank: index + 1 })),
    ...ineligible.map((s) => ({ ...s, eligible: false, rank: null })),
  ];
}

function bucketOf(rate: number, width: number): number {
  // The epsilon keeps 0.98 / 0.02 (= 48.999...) in bucket 49.
  return Math.floor(Math.min(Math.max(rate, 0), 1) / width + 1e-9);
}

type Comparable = Pick<RankedMirror, 'id' | 'successBucket' | 'manifestP50Ms1h' | 'throughputBytesPerSec'>;

function compareEligible(a: Comparable, b: Comparable): number {
  return (
    b.successBucket - a.successBucket ||
    compareNullable(a.manifestP50Ms1h, b.manifestP50Ms1h, 'asc') ||
    compareNullable(a.throughputBytesPerSec, b.throughputBytesPerSec, 'desc') ||
    compareIds(a.id, b.id)
  );
}

/** Missing figures sort after present ones in either direction. */
function compareNullable(a: number | null, b: number | null, direction: 'asc' | 'desc'): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return direction === 'asc' ? a - b : b - a;
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
