export { percentile } from './percentile.js';
export { weightedPercentile } from './weighted-percentile.js';
export {
  trackProbe,
  retryNotBefore,
  incidentChange,
  MAX_RETRY_AFTER_SECONDS,
  BLOB_PHASES,
  UNTRACKED_MIRROR,
  type TrackedMirror,
  type TrackingContext,
  type TrackingStep,
  type IncidentChange,
} from './mirror-tracking.js';
export {
  DEFAULT_STATUS_POLICY,
  DEFAULT_RANKING_POLICY,
  DEFAULT_RECOMMEND_POLICY,
  DEFAULT_FRESHNESS_GRACE_MS,
  type StatusPolicy,
  type RankingPolicy,
  type RecommendPolicy,
} from './policy.js';
export { nextMirrorState, type MirrorState, type ProbeOutcome, type DegradedReason } from './mirror-state.js';
export {
  rankMirrors,
  ineligibleReason,
  placementTier,
  type MirrorStats,
  type RankedMirror,
  type IneligibleReason,
  type PlacementTier,
} from './rank-mirrors.js';
export { recommend, clearlyBetter, type Recommendation } from './recommend.js';
export {
  decideFreshness,
  majorityDigest,
  type DigestObservation,
  type ReferenceDigest,
  type FreshnessState,
  type FreshnessVerdict,
} from './freshness.js';
export {
  judgeCoverage,
  isRefusal,
  type CoverageVerdict,
  type ImageAnswer,
  type CoverageInput,
  type MirrorCoverage,
  type CoverageJudgement,
} from './coverage.js';
export { expectedPullCostMs, recommendedLength, failureChance, DOCKERD_HANG_COST_MS, type PullCostInput } from './pull-cost.js';
export { quorumStatus } from './quorum.js';
export {
  aggregateProbes,
  bucketStart,
  nextBucketStart,
  retentionCutoff,
  ROLLUP_GRANULARITIES,
  type RollupBucket,
  type RollupGranularity,
  type RollupProbe,
} from './rollup-buckets.js';
export { decodeFailureCounts, encodeFailureCounts, FailureCountsFormatError, type FailureCounts } from './rollup-failure-counts.js';
