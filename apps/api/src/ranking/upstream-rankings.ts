import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { isDockerdMirror, upstreamOf, UPSTREAM_HOSTS, type PathStyle } from '@mirrorwatch/domain';
import type { RankedMirror } from '@mirrorwatch/scoring';
import { buildRanking, type Ranking } from './build-ranking.js';
import type { MirrorFacts } from './mirror-facts.js';

/** One mirror as the containerd, registries.conf and k3s exports name it. */
export interface UpstreamEndpoint {
  /** scheme://host[:port] */
  url: string;
  /** Repository prefix of a path-prefix mirror; null when served at the root. */
  pathPrefix: string | null;
  /** Where the prefix goes (absent: after /v2/); only containerd's hosts.toml can place it before /v2. */
  pathStyle?: PathStyle;
}

/** The rankings of one visibility scope: per upstream, plus the dockerd-usable Docker Hub mirrors for daemon.json. */
export interface UpstreamRankings {
  /** Rows of every upstream, Docker Hub's first, each upstream ranked on its own (ranks restart at 1). */
  summaries: MirrorSummaryDto[];
  /** What dockerd can use: Docker Hub mirrors served at the root (the recommendation books rank these). */
  dockerd: Ranking;
  /** Each upstream's ranked mirrors with their endpoints, best first (eligible ones lead). */
  byUpstream: ReadonlyMap<string, readonly RankedEndpoint[]>;
}

export interface RankedEndpoint extends UpstreamEndpoint {
  ranked: RankedMirror;
}

/**
 * Ranks each upstream's mirrors apart: a registry.k8s.io mirror competes with
 * registry.k8s.io mirrors only, since a fleet configures one list per
 * upstream. Docker Hub's path-prefix mirrors rank with Docker Hub's but stay
 * out of the dockerd ranking (registry-mirrors cannot rewrite names).
 */
export function buildUpstreamRankings(facts: readonly MirrorFacts[]): UpstreamRankings {
  const groups = new Map<string, MirrorFacts[]>(UPSTREAM_HOSTS.map((host) => [host, []]));
  for (const fact of facts) {
    const upstream = upstreamOf(fact.definition);
    const group = groups.get(upstream);
    if (group) group.push(fact);
    else groups.set(upstream, [fact]);
  }
  const summaries: MirrorSummaryDto[] = [];
  const byUpstream = new Map<string, RankedEndpoint[]>();
  for (const [upstream, group] of groups) {
    const ranking = buildRanking(group);
    const byId = new Map(group.map((fact) => [fact.definition.id, fact.definition]));
    summaries.push(...ranking.summaries);
    byUpstream.set(
      upstream,
      ranking.ranked.map((ranked) => {
        const definition = byId.get(ranked.id);
        return {
          url: ranked.url,
          pathPrefix: definition?.pathPrefix ?? null,
          ...(definition?.pathStyle ? { pathStyle: definition.pathStyle } : {}),
          ranked,
        };
      }),
    );
  }
  return { summaries, dockerd: buildRanking(facts.filter((fact) => isDockerdMirror(fact.definition))), byUpstream };
}

/**
 * The mirrors to hand a client for one upstream, best first. Docker Hub's
 * list starts with the recommendation book's (stable, what daemon.json
 * serves) and goes on with its eligible path-prefix mirrors; the other
 * upstreams take their eligible mirrors in rank order. At most `count`.
 */
export function recommendEndpoints(ranked: readonly RankedEndpoint[], count: number, leading: readonly string[] = []): UpstreamEndpoint[] {
  const chosen: UpstreamEndpoint[] = leading.map((url) => ({ url, pathPrefix: null }));
  const seen = new Set(chosen.map((endpoint) => endpoint.url));
  for (const endpoint of ranked) {
    if (!endpoint.ranked.eligible) continue;
    // The leading list already holds the root-served mirrors it wanted (the book decides those).
    if (leading.length > 0 && endpoint.pathPrefix === null) continue;
    const key = endpoint.pathPrefix ? `${endpoint.url}/${endpoint.pathPrefix}` : endpoint.url;
    if (seen.has(key)) continue;
    seen.add(key);
    chosen.push({ url: endpoint.url, pathPrefix: endpoint.pathPrefix, ...(endpoint.pathStyle ? { pathStyle: endpoint.pathStyle } : {}) });
  }
  return chosen.slice(0, count);
}
