import type { PathStyle } from './upstream-registry.js';

export type MirrorStatus = 'up' | 'degraded' | 'down' | 'unknown';
export const MIRROR_STATUSES: readonly MirrorStatus[] = ['up', 'degraded', 'down', 'unknown'];

export type Visibility = 'public' | 'private';

/** A mirror as declared in the catalog file or through the admin API. */
export interface MirrorDefinition {
  /** Stable slug derived from the URL (see catalog's `mirrorIdFromUrl`); used in URLs and badges. */
  id: string;
  name: string;
  /** Normalized base URL as dockerd accepts it: scheme + host [+ port], no path. */
  url: string;
  provider: string | null;
  notes: string | null;
  visibility: Visibility;
  /** Path of a PEM bundle to trust for this mirror (private CA). */
  caPath: string | null;
  /** The registry this mirror stands in for (`registry.k8s.io`); absent means `docker.io`, as before upstreams existed. */
  upstream?: string;
  /** Repository prefix of a path-prefix mirror (`registry.k8s.io` on `m.daocloud.io`); null or absent: served at the root. */
  pathPrefix?: string | null;
  /** Where the prefix goes (see `PATH_STYLES`); absent: `repository-prefix`. Meaningless without a prefix. */
  pathStyle?: PathStyle;
}

/** The upstream a mirror serves, `docker.io` when the definition predates upstreams. */
export function upstreamOf(mirror: Pick<MirrorDefinition, 'upstream'>): string {
  return mirror.upstream ?? 'docker.io';
}

/**
 * What dockerd's `registry-mirrors` can use: a Docker Hub mirror served at
 * its root (a path-prefix mirror needs a client that rewrites names).
 */
export function isDockerdMirror(mirror: Pick<MirrorDefinition, 'upstream' | 'pathPrefix'>): boolean {
  return upstreamOf(mirror) === 'docker.io' && !mirror.pathPrefix;
}
