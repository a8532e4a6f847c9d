import { normalizeMirrorUrl } from '@mirrorwatch/catalog';
import {
  DEFAULT_PATH_STYLE,
  DOCKER_HUB_REGISTRY,
  findUpstream,
  parsePathPrefix,
  parseUpstreamHost,
  type PathStyle,
} from '@mirrorwatch/domain';
import { InvalidMirrorError } from './export-errors.js';

/** A mirror as the per-upstream exports take it: a base URL and, for a path-prefix mirror, its prefix and where it goes. */
export interface MirrorEndpoint {
  url: string;
  pathPrefix: string | null;
  /** Absent or null: `repository-prefix`. Ignored without a prefix. */
  pathStyle?: PathStyle | null;
}

/** Whether clients must put the prefix before `/v2` (only containerd's hosts.toml can). */
export function isRegistryRoot(endpoint: MirrorEndpoint): boolean {
  return endpoint.pathPrefix !== null && endpoint.pathStyle === 'registry-root';
}

/** The mirrors of one upstream registry, in the order clients should try them. */
export interface UpstreamMirrors {
  upstream: string;
  mirrors: readonly MirrorEndpoint[];
}

/** Thrown for an upstream the exports do not know (the API checks `registry` before; this guards other callers). */
export class InvalidUpstreamError extends Error {
  override readonly name = 'InvalidUpstreamError';
  constructor(
    readonly input: string,
    readonly reason: string,
  ) {
    super(`registry ${JSON.stringify(input)}: ${reason}`);
  }
}

export function checkUpstream(upstream: string): string {
  const parsed = parseUpstreamHost(upstream);
  if (!parsed.ok) throw new InvalidUpstreamError(upstream, parsed.reason);
  return parsed.host;
}

/**
 * Validates and normalizes every endpoint (URL by dockerd's rules, prefix by
 * distribution's), drops duplicates, keeps the order. A bad one throws
 * `InvalidMirrorError`: an export never silently drops or passes one through.
 */
export function prepareEndpoints(endpoints: readonly MirrorEndpoint[]): MirrorEndpoint[] {
  const seen = new Map<string, MirrorEndpoint>();
  endpoints.forEach((endpoint, index) => {
    const url = normalizeMirrorUrl(endpoint.url);
    const input = endpoint.pathPrefix ? `${endpoint.url}/${endpoint.pathPrefix}` : endpoint.url;
    if (!url.ok) throw new InvalidMirrorError(index, input, url.reason);
    let pathPrefix: string | null = null;
    if (endpoint.pathPrefix) {
      const prefix = parsePathPrefix(endpoint.pathPrefix);
      if (!prefix.ok) throw new InvalidMirrorError(index, input, `path prefix ${prefix.reason}`);
      pathPrefix = prefix.pathPrefix;
    }
    const key = pathPrefix ? `${url.url}/${pathPrefix}` : url.url;
    if (!seen.has(key))
      seen.set(
        key,
        pathPrefix ? { url: url.url, pathPrefix, pathStyle: endpoint.pathStyle ?? DEFAULT_PATH_STYLE } : { url: url.url, pathPrefix },
      );
  });
  return [...seen.values()];
}

/** The upstream's API base, containerd's `server` (Docker Hub's is registry-1.docker.io). */
export function serverUrlOf(upstream: string): string {
  const known = findUpstream(upstream);
  if (!known) throw new InvalidUpstreamError(upstream, 'unknown registry');
  return known.serverUrl;
}

/** How a comment names the upstream. */
export function displayName(upstream: string): string {
  return upstream === DOCKER_HUB_REGISTRY ? 'Docker Hub' : upstream;
}
