import { DOCKER_HUB_REGISTRY, findUpstream } from '@mirrorwatch/domain';
import type { AppConfig } from '#infrastructure/configuration/app-config.js';

/** Where the freshness reference of `upstream`'s probe image is asked: Docker Hub's own variable, an override, or the registry itself. */
export function referenceUrlFor(
  upstream: string,
  config: Pick<AppConfig, 'referenceRegistryUrl' | 'upstreamReferenceUrls'>,
): string | null {
  if (upstream === DOCKER_HUB_REGISTRY) return config.referenceRegistryUrl;
  return config.upstreamReferenceUrls[upstream] ?? findUpstream(upstream)?.serverUrl ?? null;
}
