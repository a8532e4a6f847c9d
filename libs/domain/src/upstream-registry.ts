/**
 * The upstream registries a mirror can stand in for. dockerd's
 * `registry-mirrors` only ever mirror Docker Hub, but containerd (`certs.d`),
 * CRI-O / Podman (`registries.conf`) and k3s (`registries.yaml`) take mirrors
 * per upstream, and Kubernetes clusters pull most of their system images from
 * the others (`registry.k8s.io/pause`, CNI images on quay.io and ghcr.io, GPU
 * images on nvcr.io).
 */
export const DOCKER_HUB_REGISTRY = 'docker.io';

export interface ProbeImage {
  /** Repository on the upstream, as the mirror serves it at its root (`library/alpine`, `pause`). */
  repository: string;
  reference: string;
}

export interface UpstreamRegistry {
  /** The registry host clients name (`docker.io`, `registry.k8s.io`). */
  host: string;
  /** Where the registry API answers: what containerd's `server` and freshness references use. */
  serverUrl: string;
  /**
   * The image every light probe of this upstream's mirrors asks for: small,
   * public, pulled by almost everyone who uses that registry.
   */
  probeImage: ProbeImage;
}

/**
 * Known upstreams, in the order the dashboard lists them. The probe images
 * are picked for size and ubiquity: alpine for Docker Hub, the pause image
 * every Kubernetes node pulls first, small busybox/distroless/hello-world
 * images on the others, the NVIDIA device plugin every GPU node runs.
 */
export const UPSTREAM_REGISTRIES: readonly UpstreamRegistry[] = Object.freeze([
  {
    host: DOCKER_HUB_REGISTRY,
    serverUrl: 'https://registry-1.docker.io',
    probeImage: { repository: 'library/alpine', reference: 'latest' },
  },
  { host: 'registry.k8s.io', serverUrl: 'https://registry.k8s.io', probeImage: { repository: 'pause', reference: '3.10' } },
  { host: 'ghcr.io', serverUrl: 'https://ghcr.io', probeImage: { repository: 'containerd/busybox', reference: '1.36' } },
  { host: 'quay.io', serverUrl: 'https://quay.io', probeImage: { repository: 'prometheus/busybox', reference: 'latest' } },
  { host: 'gcr.io', serverUrl: 'https://gcr.io', probeImage: { repository: 'distroless/static', reference: 'latest' } },
  { host: 'mcr.microsoft.com', serverUrl: 'https://mcr.microsoft.com', probeImage: { repository: 'mcr/hello-world', reference: 'latest' } },
  { host: 'nvcr.io', serverUrl: 'https://nvcr.io', probeImage: { repository: 'nvidia/k8s-device-plugin', reference: 'v0.17.0' } },
]);

export const UPSTREAM_HOSTS: readonly string[] = UPSTREAM_REGISTRIES.map((upstream) => upstream.host);

/** Names people write for Docker Hub that clients key under `docker.io`. */
const DOCKER_HUB_ALIASES: readonly string[] = ['index.docker.io', 'registry-1.docker.io', 'registry.hub.docker.com', 'hub.docker.com'];

export function findUpstream(host: string): UpstreamRegistry | undefined {
  return UPSTREAM_REGISTRIES.find((upstream) => upstream.host === host);
}

export type UpstreamParse = { ok: true; host: string } | { ok: false; reason: string };

/** Checks an upstream registry name as a catalog or a query parameter gives it; the reason says what to write instead. */
export function parseUpstreamHost(input: string): UpstreamParse {
  const host = input.trim().toLowerCase().replace(/\/+$/, '');
  if (host === '') return { ok: false, reason: `is empty; expected one of ${UPSTREAM_HOSTS.join(', ')}` };
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(host)) {
    return {
      ok: false,
      reason: `"${input.trim()}" is a URL; write the registry host alone, such as ${host.replace(/^[a-z][a-z0-9+.-]*:\/\//, '').split('/')[0]}`,
    };
  }
  if (DOCKER_HUB_ALIASES.includes(host))
    return { ok: false, reason: `write ${DOCKER_HUB_REGISTRY} for Docker Hub (clients key its mirrors under that name), not ${host}` };
  if (!findUpstream(host)) return { ok: false, reason: `unknown registry "${input.trim()}"; known: ${UPSTREAM_HOSTS.join(', ')}` };
  return { ok: true, host };
}

/** distribution/reference path component: lowercase alphanumerics joined by `.`, `_`, `__` or dashes. */
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;

export type PathPrefixParse = { ok: true; pathPrefix: string } | { ok: false; reason: string };

/**
 * A path-prefix mirror serves many upstreams from one host under a
 * repository prefix: `registry.k8s.io/pause` is `m.daocloud.io/registry.k8s.io/pause`,
 * i.e. `GET /v2/registry.k8s.io/pause/manifests/<tag>`. The prefix is
 * repository path components, because that is the one shape every client can
 * express (containerd: a host URL with `override_path`, registries.conf: a
 * mirror location with a path, k3s: a `rewrite`).
 */
export function parsePathPrefix(input: string): PathPrefixParse {
  const trimmed = input.trim();
  if (/^\/?v2(\/|$)/.test(trimmed)) {
    return { ok: false, reason: `"${trimmed}" includes /v2; write only the repository prefix that follows it, such as registry.k8s.io` };
  }
  const prefix = trimmed.replace(/^\/+|\/+$/g, '');
  if (prefix === '') return { ok: false, reason: 'is empty; leave the key out for a mirror that serves the upstream at its root' };
  const bad = prefix.split('/').find((component) => !PATH_COMPONENT.test(component));
  if (bad !== undefined) {
    return {
      ok: false,
      reason: `"${bad}" in "${prefix}" is not a repository path component (lowercase letters, digits, and . _ - between them)`,
    };
  }
  if (prefix.length > 128) return { ok: false, reason: 'is longer than 128 characters' };
  return { ok: true, pathPrefix: prefix };
}

/**
 * Where a path-prefix mirror puts its prefix. `repository-prefix`: after
 * `/v2/`, as part of the repository name (`/v2/registry.k8s.io/pause/...`,
 * m.daocloud.io). `registry-root`: before `/v2`, one registry API per
 * upstream under one host (`/registry.k8s.io/v2/pause/...`, a reverse proxy
 * in front of per-upstream pull-through caches).
 */
export const PATH_STYLES = ['repository-prefix', 'registry-root'] as const;
export type PathStyle = (typeof PATH_STYLES)[number];
/** What a mirror without `pathStyle` means: the shape catalogs had before the field existed. */
export const DEFAULT_PATH_STYLE: PathStyle = 'repository-prefix';

export type PathStyleParse = { ok: true; pathStyle: PathStyle } | { ok: false; reason: string };

export function parsePathStyle(input: string): PathStyleParse {
  const trimmed = input.trim();
  const found = PATH_STYLES.find((style) => style === trimmed);
  if (found === undefined) return { ok: false, reason: `"${trimmed}" is not a path style; use ${PATH_STYLES.join(' or ')}` };
  return { ok: true, pathStyle: found };
}

/** Where a mirror of `upstream` serves `repository`: under its path prefix, if it has one after `/v2/`. */
export function mirroredRepository(
  repository: string,
  pathPrefix: string | null | undefined,
  pathStyle: PathStyle | null | undefined,
): string {
  return pathPrefix && (pathStyle ?? DEFAULT_PATH_STYLE) === 'repository-prefix' ? `${pathPrefix}/${repository}` : repository;
}

/**
 * The base URL a client puts `/v2/...` after: the mirror's URL, plus the
 * prefix for a `registry-root` mirror (`https://m.example/ghcr.io` answers
 * `/ghcr.io/v2/`).
 */
export function mirrorApiBase(url: string, pathPrefix: string | null | undefined, pathStyle: PathStyle | null | undefined): string {
  return pathPrefix && pathStyle === 'registry-root' ? `${url}/${pathPrefix}` : url;
}
