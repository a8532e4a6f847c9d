import { formatImageReference, isLibraryImage, parseImageReference, type ImageReference } from '@mirrorwatch/domain';

/** One image of the coverage set, probed on every mirror at the deep cadence (manifest only). */
export interface CoverageImage {
  reference: ImageReference;
  /** `repository:tag`, the key stored per mirror. */
  key: string;
  library: boolean;
  /** Platforms whose image manifests must resolve too (multi-arch check); empty: the default linux/amd64 only. */
  platforms: { os: string; architecture: string }[];
}

/**
 * Chosen to tell mirrors apart (see README "Coverage"): an official library
 * image; non-library images of three large publishers, so one deletion on
 * Docker Hub cannot flip a verdict (several publishers' images went away in
 * 2025, bitnami's among them); a multi-arch index resolved for amd64 and
 * arm64 hosts; and a tag pushed on every commit (Prometheus' `main`), which a
 * mirror serving only a frozen cache will not have.
 */
export const DEFAULT_COVERAGE_IMAGES =
  'library/nginx:stable,grafana/grafana:latest,prom/prometheus:latest,hashicorp/vault:latest,library/busybox:latest=linux/amd64+linux/arm64,prom/prometheus:main';

const PLATFORM = /^([a-z0-9]+)\/([a-z0-9_]+)$/;
/** Each image costs one probe per mirror per deep cycle: the set stays small. */
export const MAX_COVERAGE_IMAGES = 12;

/**
 * Parses `repo:tag[=os/arch+os/arch],...`. Throws an Error whose message says
 * which entry is wrong and why (the configuration loader names the variable).
 */
export function parseCoverageImages(text: string): CoverageImage[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  if (entries.length > MAX_COVERAGE_IMAGES) throw new Error(`at most ${MAX_COVERAGE_IMAGES} images, got ${entries.length}`);
  const images: CoverageImage[] = [];
  for (const entry of entries) {
    const [name = '', platformList] = entry.split('=', 2);
    const parsed = parseImageReference(name);
    if (!parsed.ok) throw new Error(`"${entry}": ${parsed.reason}`);
    const platforms = (platformList ?? '')
      .split('+')
      .filter((p) => p !== '')
      .map((platform) => {
        const match = PLATFORM.exec(platform);
        if (!match) throw new Error(`"${entry}": platform "${platform}" must be os/architecture, such as linux/arm64`);
        return { os: match[1] as string, architecture: match[2] as string };
      });
    const key = formatImageReference(parsed.reference);
    if (images.some((image) => image.key === key)) throw new Error(`"${entry}" is listed twice`);
    images.push({ reference: parsed.reference, key, library: isLibraryImage(parsed.reference), platforms });
  }
  return images;
}
