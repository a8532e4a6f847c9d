/** Knobs of the status state machine (see `nextMirrorState`). */
export interface StatusPolicy {
  /**
   * Consecutive hard failures that take an up mirror down. 2: one lost packet
   * or one 502 from a load balancer must not page anyone, two in a row (two
   * minutes at the default 60 s interval) is an outage worth showing.
   */
  failuresToDown: number;
  /**
   * Consecutive successes that bring a down mirror back up. 2 rather than 1:
   * a mirror that just failed and answers once may be flapping, and an up
   * mirror can enter a fleet's daemon.json; recovering one probe later is
   * cheaper than sending fleets to a mirror that drops again.
   */
  successesToUp: number;
  /**
   * Manifest p50 (speed window) above which a working mirror is `degraded`.
   * A pull does ping, token and manifest before any blob; past ~2.5 s per
   * manifest users notice, and dockerd gives up on a hanging mirror at ~15 s.
   */
  slowManifestP50Ms: number;
}

export const DEFAULT_STATUS_POLICY: Readonly<StatusPolicy> = Object.freeze({
  failuresToDown: 2,
  successesToUp: 2,
  slowManifestP50Ms: 2500,
});

/** Knobs of `rankMirrors`. */
export interface RankingPolicy {
  /**
   * Width of a success-rate bucket (fraction, 0.02 = 2 percentage points).
   * Mirrors in one bucket count as equally reliable and are ordered by
   * latency: 99.1 % vs 99.6 % over a day is a handful of probes, noise.
   */
  successRateBucket: number;
}

export const DEFAULT_RANKING_POLICY: Readonly<RankingPolicy> = Object.freeze({
  successRateBucket: 0.02,
});

/** Knobs of `recommend`: how much better a challenger must be to unseat an incumbent. */
export interface RecommendPolicy {
  /**
   * A challenger in the same (or a better) success bucket must have a manifest
   * p50 at least this fraction lower (0.3 = 30 % faster) to replace or
   * overtake an incumbent. Latencies of similar mirrors wander by 5-20 %
   * minute to minute; 30 % is beyond that noise.
   */
  latencyMargin: number;
  /**
   * Or: a challenger whose 24 h success rate is higher by at least this many
   * buckets wins regardless of latency (2 buckets = 4 points by default).
   */
  successBucketMargin: number;
  /**
   * The recommended length stops where one more mirror saves less than this
   * many milliseconds of expected manifest time per pull (`recommendedLength`).
   * 5 ms is below anything a person notices over a pull, yet large enough that
   * a third and fourth well-measured mirror (reached once in thousands of
   * pulls) stay out of daemon.json.
   */
  minSavingMs: number;
}

export const DEFAULT_RECOMMEND_POLICY: Readonly<RecommendPolicy> = Object.freeze({
  latencyMargin: 0.3,
  successBucketMargin: 2,
  minSavingMs: 5,
});

/** Mirrors cache manifests for up to an hour (DaoCloud documents ~1 h), so lag within that is normal. */
export const DEFAULT_FRESHNESS_GRACE_MS = 60 * 60 * 1000;
