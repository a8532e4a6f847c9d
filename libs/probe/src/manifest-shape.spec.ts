import { describe, expect, it } from 'vitest';
import { OCI_INDEX, OCI_MANIFEST, parseManifest, selectPlatform } from './manifest-shape.js';
import { ProbeFailure } from './probe-failure.js';

const digest = (char: string) => `sha256:${char.repeat(64)}`;
const descriptor = (char: string, platform?: { os: string; architecture: string }) => ({
  mediaType: OCI_MANIFEST,
  digest: digest(char),
  size: 100,
  ...(platform ? { platform } : {}),
});
const body = (value: unknown) => Buffer.from(JSON.stringify(value));

describe('parseManifest', () => {
  it('takes the media type from Content-Type when the OCI body omits it', () => {
    const parsed = parseManifest(
      body({ schemaVersion: 2, manifests: [descriptor('a', { os: 'linux', architecture: 'amd64' })] }),
      `${OCI_INDEX}; charset=utf-8`,
      'manifest',
    );
    expect(parsed).toMatchObject({ kind: 'index', mediaType: OCI_INDEX });
  });

  it('tolerates application/json when the body names a known media type', () => {
    const parsed = parseManifest(
      body({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor('c'), layers: [descriptor('d')] }),
      'application/json',
      'manifest',
    );
    expect(parsed).toMatchObject({ kind: 'image', mediaType: OCI_MANIFEST });
  });

  it.each([
    [
      'a layer digest that is not sha256',
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor('c'), layers: [{ digest: 'md5:abc', size: 1 }] },
      /digest/,
    ],
    [
      'a negative size',
      { schemaVersion: 2, mediaType: OCI_MANIFEST, config: { digest: digest('c'), size: -1 }, layers: [descriptor('d')] },
      /size/,
    ],
    ['no layers', { schemaVersion: 2, mediaType: OCI_MANIFEST, config: descriptor('c'), layers: [] }, /without layers/],
    ['an unknown media type', { schemaVersion: 2, mediaType: 'application/x-foo' }, /unsupported manifest mediaType/],
  ])('rejects %s', (_name, value, detail) => {
    expect(() => parseManifest(body(value), null, 'manifest')).toThrow(detail);
  });
});

describe('selectPlatform', () => {
  const index = {
    kind: 'index' as const,
    mediaType: OCI_INDEX,
    manifests: [
      { mediaType: OCI_MANIFEST, digest: digest('1'), size: 1, platform: { os: 'unknown', architecture: 'unknown' } },
      { mediaType: OCI_MANIFEST, digest: digest('2'), size: 1, platform: { os: 'linux', architecture: 'arm64' } },
      { mediaType: OCI_MANIFEST, digest: digest('3'), size: 1, platform: { os: 'linux', architecture: 'amd64' } },
    ],
  };
  it('picks the requested platform', () => {
    expect(selectPlatform(index, { os: 'linux', architecture: 'amd64' }, 'manifest').digest).toBe(digest('3'));
  });
  it('fails with the platforms on offer', () => {
    const attempt = () => selectPlatform(index, { os: 'linux', architecture: 's390x' }, 'manifest');
    expect(attempt).toThrow(ProbeFailure);
    expect(attempt).toThrow('index has no linux/s390x entry (offers: unknown/unknown, linux/arm64, linux/amd64)');
  });
});
