import type { Lab } from './start-lab.js';

/**
 * What the product needs to judge the lab's mirrors as it would judge Docker
 * Hub's: the lab catalog, a non-library image that really exists upstream for
 * the allowlist check, and the lab upstream as the freshness reference.
 */
export function productEnvForLab(lab: Lab, catalogPath: string): Record<string, string> {
  return {
    MIRRORWATCH_CATALOG: catalogPath,
    ALLOWLIST_PROBE_REPOSITORY: lab.probeTarget.repository,
    REFERENCE_REGISTRY_URL: lab.upstream.url,
  };
}

/** The same, as a shell prefix for a command line. */
export function productEnvLine(lab: Lab, catalogPath: string): string {
  return Object.entries(productEnvForLab(lab, catalogPath))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
