import {
  DOCKER_HUB_REGISTRY,
  findUpstream,
  mirroredRepository,
  upstreamOf,
  UPSTREAM_REGISTRIES,
  type MirrorDefinition,
  type PathStyle,
} from '@mirrorwatch/domain';

/**
 * The image every light probe of a Docker Hub mirror pulls, as `docker pull
 * alpine` would through a mirror: the most pulled base image, small, and a
 * multi-platform index. Mirrors of other upstreams pull their upstream's
 * probe image (libs/domain UPSTREAM_REGISTRIES).
 */
export const PROBED_REPOSITORY = 'library/alpine';
export const PROBED_REFERENCE = 'latest';
/** The probed image as one key (stored freshness references are per image). */
export const PROBED_IMAGE = `${PROBED_REPOSITORY}:${PROBED_REFERENCE}`;

/** What one mirror's light and deep probes ask for, and how their rows are labelled. */
export interface MirrorProbeImage {
  upstream: string;
  /** The repository as the mirror serves it (a `repository-prefix` mirror's prefix included). */
  requestRepository: string;
  reference: string;
  /** Stored in Probe.repository: Docker Hub's name as before, `<upstream>/<repository>` for the others. */
  storedRepository: string;
  /** Key of the stored freshness evaluation of this upstream's image. */
  imageKey: string;
}

export function storedRepositoryFor(upstream: string, repository: string): string {
  return upstream === DOCKER_HUB_REGISTRY ? repository : `${upstream}/${repository}`;
}

export function probeImageForUpstream(
  upstream: string,
  pathPrefix: string | null = null,
  pathStyle: PathStyle | null = null,
): MirrorProbeImage {
  const known = findUpstream(upstream);
  if (!known) throw new TypeError(`no probe image for upstream "${upstream}"`);
  const { repository, reference } = known.probeImage;
  const storedRepository = storedRepositoryFor(upstream, repository);
  return {
    upstream,
    requestRepository: mirroredRepository(repository, pathPrefix, pathStyle),
    reference,
    storedRepository,
    imageKey: `${storedRepository}:${reference}`,
  };
}

export function probeImageFor(mirror: Pick<MirrorDefinition, 'upstream' | 'pathPrefix' | 'pathStyle'>): MirrorProbeImage {
  return probeImageForUpstream(upstreamOf(mirror), mirror.pathPrefix ?? null, mirror.pathStyle ?? null);
}

/**
 * The main probes' rows of every upstream, as a Probe.repository filter:
 * statistics (latency, uptime, rollups, history) count these rows and not
 * the probes of other images (coverage, look-ups, retired allowlist probes).
 */
export const MAIN_PROBE_REPOSITORIES: readonly string[] = UPSTREAM_REGISTRIES.map((upstream) =>
  storedRepositoryFor(upstream.host, upstream.probeImage.repository),
);
export const MAIN_PROBE_FILTER = { repository: { in: [...MAIN_PROBE_REPOSITORIES] } };
