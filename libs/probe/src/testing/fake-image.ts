import { createHash, randomBytes } from 'node:crypto';

const sha256 = (data: Buffer) => `sha256:${createHash('sha256').update(data).digest('hex')}`;

export interface Blob {
  digest: string;
  data: Buffer;
}

export interface FakeImage {
  index: Buffer;
  indexDigest: string;
  indexType: string;
  manifest: Buffer;
  manifestDigest: string;
  manifestType: string;
  config: Blob;
  layers: Blob[];
  blobs: Map<string, Buffer>;
}

/**
 * A small but structurally real image: a Docker manifest list with linux/amd64
 * and linux/arm64 entries (plus an attestation-like unknown/unknown one), an
 * amd64 image manifest, its config and layers, digests computed like a registry.
 */
export function buildFakeImage(layerSizes: readonly number[] = [4096, 1024]): FakeImage {
  const configData = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers' } }));
  const config = { digest: sha256(configData), data: configData };
  const layers = layerSizes.map((size) => {
    const data = randomBytes(size);
    return { digest: sha256(data), data };
  });
  const manifestType = 'application/vnd.docker.distribution.manifest.v2+json';
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: manifestType,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: configData.length, digest: config.digest },
      layers: layers.map((layer) => ({
        mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
        size: layer.data.length,
        digest: layer.digest,
      })),
    }),
  );
  const manifestDigest = sha256(manifest);
  const indexType = 'application/vnd.docker.distribution.manifest.list.v2+json';
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: indexType,
      manifests: [
        {
          mediaType: manifestType,
          size: 528,
          digest: sha256(Buffer.from('arm64')),
          platform: { os: 'linux', architecture: 'arm64', variant: 'v8' },
        },
        { mediaType: manifestType, size: manifest.length, digest: manifestDigest, platform: { os: 'linux', architecture: 'amd64' } },
        {
          mediaType: 'application/vnd.oci.image.manifest.v1+json',
          size: 10,
          digest: sha256(Buffer.from('att')),
          platform: { os: 'unknown', architecture: 'unknown' },
        },
      ],
    }),
  );
  const blobs = new Map<string, Buffer>([[config.digest, configData], ...layers.map((layer) => [layer.digest, layer.data] as const)]);
  return { index, indexDigest: sha256(index), indexType, manifest, manifestDigest, manifestType, config, layers, blobs };
}

export { sha256 as sha256OfBuffer };
