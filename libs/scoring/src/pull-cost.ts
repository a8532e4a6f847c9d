/**
 * What a pull costs through a `registry-mirrors` list, the way dockerd walks it
 * (moby registry/service_v2.go): mirrors in order, the next one on any registry
 * error (403 and 404 included), Docker Hub last. A mirror that refuses or fails
 * fast costs its own round trip; a hanging one costs dockerd's whole ping
 * timeout before it moves on.
 */

/** dockerd's `/v2/` ping timeout: what a hanging mirror costs every pull. */
export const DOCKERD_HANG_COST_MS = 15_000;

/** What the cost model needs about one mirror, from the measured windows. */
export interface PullCostInput {
  /** Manifest fetch time (p50, last hour): the time to first byte of a pull that works. */
  manifestP50Ms: number | null;
  /** Light probes over the stability window, and how many worked. */
  probes: number;
  successes: number;
  /** Failures among them that hung (timeouts): each cost dockerd its ping timeout. */
  hangs: number;
  /** Share of tested images the mirror serves (coverage), 0..1; null: not known, taken as 1. */
  servedShare: number | null;
}

/**
 * Chance that a pull through this mirror fails, from the measured rate with
 * one success and one failure added (Laplace's rule): a day of perfect probes
 * is strong evidence, not proof, and a mirror with three probes is barely
 * known. An image the mirror does not serve is a failure too (dockerd falls
 * back), taking each tested image as equally likely to be pulled.
 */
export function failureChance(mirror: PullCostInput): number {
  const works = (mirror.successes + 1) / (mirror.probes + 2);
  return 1 - works * (mirror.servedShare ?? 1);
}

function failureCost(mirror: PullCostInput): number {
  const failures = mirror.probes - mirror.successes;
  const hangShare = failures > 0 ? Math.min(1, mirror.hangs / failures) : 0;
  const fastFailure = mirror.manifestP50Ms ?? DOCKERD_HANG_COST_MS;
  return hangShare * DOCKERD_HANG_COST_MS + (1 - hangShare) * fastFailure;
}

/**
 * Expected time to the manifest's first byte for one pull through `list`, in
 * milliseconds: each mirror is reached only when every one before it failed;
 * `fallbackMs` is what the final fallback (Docker Hub) costs from this vantage
 * (its own manifest time when it answers, a hang when it cannot be reached).
 */
export function expectedPullCostMs(list: readonly PullCostInput[], fallbackMs: number): number {
  let reach = 1;
  let cost = 0;
  for (const mirror of list) {
    const fail = failureChance(mirror);
    const success = mirror.manifestP50Ms ?? DOCKERD_HANG_COST_MS;
    cost += reach * ((1 - fail) * success + fail * failureCost(mirror));
    reach *= fail;
  }
  return cost + reach * fallbackMs;
}

/**
 * How many of `ranked` (best first) to recommend: stop where one more mirror
 * saves less than `minSavingMs` per pull on average. A mirror at the tail is
 * only reached when all before it failed, so past two or three good mirrors
 * it no longer pays for the line in daemon.json (nor for the hang it costs on
 * the day it dies). At least one when there is any; at most `max`.
 */
export function recommendedLength(
  ranked: readonly PullCostInput[],
  fallbackMs: number,
  options: { minSavingMs: number; max: number },
): number {
  const limit = Math.min(options.max, ranked.length);
  if (limit === 0) return 0;
  let length = 1;
  let cost = expectedPullCostMs(ranked.slice(0, 1), fallbackMs);
  while (length < limit) {
    const next = expectedPullCostMs(ranked.slice(0, length + 1), fallbackMs);
    if (cost - next < options.minSavingMs) break;
    length += 1;
    cost = next;
  }
  return length;
}
