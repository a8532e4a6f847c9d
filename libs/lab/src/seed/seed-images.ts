import { buildImage, type BuiltImage, type PlatformSpec } from './image-builder.js';
import { pushImage } from './registry-push.js';

export const ALPINE_REPOSITORY = 'library/alpine';
/** A repository outside `library/`: allowlisting mirrors (DaoCloud) refuse such names with 403. */
export const PROBE_TARGET_REPOSITORY = 'mirrorwatch/probe-target';
/** A second non-library repository: the `partial` mirror's upstream lacks it (coverage checks). */
export const SECOND_TARGET_REPOSITORY = 'mirrorwatch/second-target';
/** Pushed nowhere: a coverage image nobody can show exists (a broken configuration). */
export const NEVER_PUSHED_REPOSITORY = 'mirrorwatch/never-pushed';
export const SEED_TAG = 'latest';

/**
 * 256 KiB of incompressible bytes in the amd64 layer, so a deep probe's blob
 * download lasts long enough to measure throughput while the whole seed stays
 * under 300 KiB; arm64 stays tiny, it only has to exist in the index.
 */
const ALPINE_PLATFORMS: readonly PlatformSpec[] = [
  { os: 'linux', architecture: 'amd64', payloadBytes: 256 * 1024 },
  { os: 'linux', architecture: 'arm64', variant: 'v8', payloadBytes: 4 * 1024 },
];
const PROBE_TARGET_PLATFORMS: readonly PlatformSpec[] = [{ os: 'linux', architecture: 'amd64', payloadBytes: 2 * 1024 }];

/** The digests a test needs to assert what a mirror served. */
export interface SeededImage {
  repository: string;
  tag: string;
  generation: number;
  /** Digest of the manifest list the tag points at. */
  index: string;
  amd64Manifest: string;
  /** Config blob of the linux/amd64 image. */
  config: string;
  /** The single layer blob of the linux/amd64 image. */
  layer: string;
  layerSize: number;
  /** The built content itself, for byte-level assertions. */
  image: BuiltImage;
}

export function buildAlpine(generation: number): BuiltImage {
  return buildImage({ repository: ALPINE_REPOSITORY, tag: SEED_TAG, generation, platforms: ALPINE_PLATFORMS });
}

export function buildProbeTarget(generation = 1): BuiltImage {
  return buildImage({ repository: PROBE_TARGET_REPOSITORY, tag: SEED_TAG, generation, platforms: PROBE_TARGET_PLATFORMS });
}

export function buildSecondTarget(generation = 1): BuiltImage {
  return buildImage({ repository: SECOND_TARGET_REPOSITORY, tag: SEED_TAG, generation, platforms: PROBE_TARGET_PLATFORMS });
}

export function describeSeededImage(image: BuiltImage): SeededImage {
  const amd64 = image.platforms.find((p) => p.platform.architecture === 'amd64');
  if (!amd64) throw new Error(`${image.repository} has no linux/amd64 image`);
  return {
    repository: image.repository,
    tag: image.tag,
    generation: image.generation,
    index: image.index.digest,
    amd64Manifest: amd64.manifest.digest,
    config: amd64.config.digest,
    layer: amd64.layer.digest,
    layerSize: amd64.layer.size,
    image,
  };
}

/** Pushes library/alpine:latest of the given generation. */
export async function seedAlpine(registryUrl: string, generation = 1): Promise<SeededImage> {
  const image = buildAlpine(generation);
  await pushImage(registryUrl, image);
  return describeSeededImage(image);
}

export async function seedProbeTarget(registryUrl: string): Promise<SeededImage> {
  const image = buildProbeTarget();
  await pushImage(registryUrl, image);
  return describeSeededImage(image);
}

export async function seedSecondTarget(registryUrl: string): Promise<SeededImage> {
  const image = buildSecondTarget();
  await pushImage(registryUrl, image);
  return describeSeededImage(image);
}

/**
 * Publishes the next generation of library/alpine:latest, as when Docker Hub
 * gets a new alpine build: pull-through mirrors should follow (distribution's
 * proxy re-resolves tags upstream), stale ones keep the old digest.
 */
export async function pushNewAlpine(registryUrl: string, previous: Pick<SeededImage, 'generation'>): Promise<SeededImage> {
  return seedAlpine(registryUrl, previous.generation + 1);
}
