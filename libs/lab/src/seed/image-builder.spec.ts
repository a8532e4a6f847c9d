import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MEDIA_TYPES } from '../registry/media-types.js';
import { buildAlpine, buildProbeTarget, describeSeededImage } from './seed-images.js';

const sha = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

describe('buildAlpine', () => {
  const image = buildAlpine(1);

  it('is a Docker manifest list over linux/amd64 and linux/arm64', () => {
    const index = JSON.parse(image.index.data.toString()) as {
      mediaType: string;
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    expect(index.mediaType).toBe(MEDIA_TYPES.dockerManifestList);
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    expect(index.manifests.map((m) => m.digest)).toEqual(image.platforms.map((p) => p.manifest.digest));
  });

  it('gives every blob and manifest the sha256 digest of its bytes', () => {
    const contents = [image.index, ...image.platforms.flatMap((p) => [p.manifest, p.config, p.layer])];
    for (const content of contents) {
      expect(content.digest).toBe(sha(content.data));
      expect(content.size).toBe(content.data.length);
    }
  });

  it('lists the uncompressed layer digest as the config diff_id', () => {
    for (const platform of image.platforms) {
      const config = JSON.parse(platform.config.data.toString()) as { rootfs: { diff_ids: string[] }; architecture: string };
      expect(config.rootfs.diff_ids).toEqual([sha(gunzipSync(platform.layer.data))]);
      expect(config.architecture).toBe(platform.platform.architecture);
    }
  });

  it('makes the amd64 layer incompressible and about 256 KiB', () => {
    const seeded = describeSeededImage(image);
    expect(seeded.layerSize).toBeGreaterThan(256 * 1024);
    expect(seeded.layerSize).toBeLessThan(270 * 1024);
  });

  it('is reproducible for a generation and changes with the next one', () => {
    expect(buildAlpine(1).index.digest).toBe(image.index.digest);
    const next = describeSeededImage(buildAlpine(2));
    expect(next.index).not.toBe(image.index.digest);
    expect(next.layer).not.toBe(describeSeededImage(image).layer);
  });

  it('builds the non-library probe target separately', () => {
    const target = buildProbeTarget();
    expect(target.repository).toBe('mirrorwatch/probe-target');
    expect(target.index.digest).not.toBe(image.index.digest);
  });
});
