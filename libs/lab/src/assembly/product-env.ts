import type { Lab } from './start-lab.js';

/**
 * The coverage set the lab's upstream really holds, as COVERAGE_IMAGES: the
 * multi-arch library/alpine resolved for amd64 and arm64, and two
 * non-library images (the `partial` mirror's upstream lacks the second).
 */
export function labCoverageImages(lab: Pick<Lab, 'alpine' | 'probeTarget' | 'secondTarget'>): string {
  return [
    `${lab.alpine.repository}:${lab.alpine.tag}=linux/amd64+linux/arm64`,
    `${lab.probeTarget.repository}:${lab.probeTarget.tag}`,
    `${lab.secondTarget.repository}:${lab.secondTarget.tag}`,
  ].join(',');
}

/**
 * What the product needs to judge the lab's mirrors as it would judge Docker
 * Hub's: the lab catalog, coverage images that really exist upstream, and the
 * lab upstream as the freshness reference.
 */
export function productEnvForLab(lab: Lab, catalogPath: string): Record<string, string> {
  return {
    MIRRORWATCH_CATALOG: catalogPath,
    COVERAGE_IMAGES: labCoverageImages(lab),
    REFERENCE_REGISTRY_URL: lab.upstream.url,
  };
}

/** The same, as a shell prefix for a command line. */
export function productEnvLine(lab: Lab, catalogPath: string): string {
  return Object.entries(productEnvForLab(lab, catalogPath))
    .map(([name, value]) => `${name}=${value}`)
    .join(' ');
}
