/** Docker image manifest v2 schema 2 and OCI media types (distribution docs/spec/manifest-v2-2.md). */
export const MEDIA_TYPES = {
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
} as const;

/**
 * The Accept list dockerd sends for manifests. distribution 2.8 converts to
 * signed schema 1 when none is given and returns the amd64 child when only
 * the schema2 type is given, so every lab check sends all four.
 */
export const MANIFEST_ACCEPT = [
  MEDIA_TYPES.dockerManifestList,
  MEDIA_TYPES.ociIndex,
  MEDIA_TYPES.dockerManifest,
  MEDIA_TYPES.ociManifest,
].join(', ');
