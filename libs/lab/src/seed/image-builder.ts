import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { MEDIA_TYPES } from '../registry/media-types.js';
import { deterministicBytes } from './deterministic-bytes.js';
import { createTar } from './tar.js';

export interface PlatformSpec {
  os: 'linux';
  architecture: string;
  variant?: string;
  /** Size of the incompressible file in the layer; sets how many bytes a blob pull moves. */
  payloadBytes: number;
}

export interface ContentBlob {
  mediaType: string;
  digest: string;
  size: number;
  data: Buffer;
}

export interface PlatformImage {
  platform: PlatformSpec;
  config: ContentBlob;
  layer: ContentBlob;
  /** sha256 of the uncompressed layer tar, as listed in the config's rootfs.diff_ids. */
  diffId: string;
  manifest: ContentBlob;
}

export interface BuiltImage {
  repository: string;
  tag: string;
  generation: number;
  /** The Docker manifest list that the tag points at. */
  index: ContentBlob;
  platforms: PlatformImage[];
}

export interface BuildImageInput {
  repository: string;
  tag: string;
  /** Bumping it changes every digest: a "new upstream release" for stale-mirror scenarios. */
  generation: number;
  platforms: readonly PlatformSpec[];
}

/** A fixed epoch keeps digests reproducible; each generation is one day later. */
const BASE_CREATED_MS = Date.UTC(2025, 0, 1);
const DAY_MS = 86_400_000;

export function sha256Digest(data: Buffer): string {
  return `sha256:${createHash('sha256').update(data).digest('hex')}`;
}

function blob(mediaType: string, data: Buffer): ContentBlob {
  return { mediaType, digest: sha256Digest(data), size: data.length, data };
}

function jsonBlob(mediaType: string, value: unknown): ContentBlob {
  return blob(mediaType, Buffer.from(JSON.stringify(value)));
}

/**
 * Builds a small but real multi-platform image: per platform one gzip'd tar
 * layer, a config whose diff_ids match it, a schema2 manifest; then a Docker
 * manifest list over them (docs/spec/manifest-v2-2.md), like library/alpine.
 */
export function buildImage(input: BuildImageInput): BuiltImage {
  const createdMs = BASE_CREATED_MS + input.generation * DAY_MS;
  const platforms = input.platforms.map((platform) => buildPlatformImage(input, platform, createdMs));
  const index = jsonBlob(MEDIA_TYPES.dockerManifestList, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifestList,
    manifests: platforms.map(({ manifest, platform }) => ({
      mediaType: manifest.mediaType,
      size: manifest.size,
      digest: manifest.digest,
      platform: {
        architecture: platform.architecture,
        os: platform.os,
        ...(platform.variant ? { variant: platform.variant } : {}),
      },
    })),
  });
  return { repository: input.repository, tag: input.tag, generation: input.generation, index, platforms };
}

function buildPlatformImage(input: BuildImageInput, platform: PlatformSpec, createdMs: number): PlatformImage {
  const platformName = [platform.os, platform.architecture, platform.variant].filter(Boolean).join('/');
  const seed = `${input.repository}:${input.tag}:${input.generation}:${platformName}`;
  const mtime = Math.floor(createdMs / 1000);
  const tar = createTar([
    { path: 'etc', mtime },
    { path: 'etc/mirrorwatch-lab', mtime },
    {
      path: 'etc/mirrorwatch-lab/release',
      content: Buffer.from(`image=${input.repository}:${input.tag}\ngeneration=${input.generation}\nplatform=${platformName}\n`),
      mtime,
    },
    { path: 'etc/mirrorwatch-lab/payload.bin', content: deterministicBytes(seed, platform.payloadBytes), mtime },
  ]);
  const diffId = sha256Digest(tar);
  const layer = blob(MEDIA_TYPES.dockerLayerGzip, gzipSync(tar));
  const created = new Date(createdMs).toISOString();
  const config = jsonBlob(MEDIA_TYPES.dockerConfig, {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created,
    config: { Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'], Cmd: ['/bin/sh'] },
    rootfs: { type: 'layers', diff_ids: [diffId] },
    history: [{ created, created_by: `mirrorwatch lab seed generation ${input.generation}` }],
  });
  const manifest = jsonBlob(MEDIA_TYPES.dockerManifest, {
    schemaVersion: 2,
    mediaType: MEDIA_TYPES.dockerManifest,
    config: { mediaType: config.mediaType, size: config.size, digest: config.digest },
    layers: [{ mediaType: layer.mediaType, size: layer.size, digest: layer.digest }],
  });
  return { platform, config, layer, diffId, manifest };
}
