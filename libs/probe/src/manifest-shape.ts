import type { ProbePhase } from '@mirrorwatch/domain';
import { isSha256Digest } from './digest.js';
import { ProbeFailure } from './probe-failure.js';

export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';

const INDEX_TYPES = new Set([DOCKER_MANIFEST_LIST, OCI_INDEX]);
const IMAGE_TYPES = new Set([DOCKER_MANIFEST, OCI_MANIFEST]);

/**
 * dockerd sends all four in one Accept header; without them a Debian
 * docker-registry (2.8) converts to signed schema 1, whose digest differs.
 */
export const MANIFEST_ACCEPT = [DOCKER_MANIFEST_LIST, OCI_INDEX, DOCKER_MANIFEST, OCI_MANIFEST].join(', ');

export interface Descriptor {
  mediaType: string | null;
  digest: string;
  size: number;
  platform: { os: string; architecture: string } | null;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

/**
 * Validates a manifest body against the image-spec shapes. Anything else a
 * 200 can carry (a captive portal's HTML, truncated JSON, schema 1 from a
 * mirror that ignored Accept) is a bad response, not a pass.
 */
export function parseManifest(body: Buffer, contentTypeHeader: string | null, phase: ProbePhase): ParsedManifest {
  const bad = (detail: string) => new ProbeFailure('bad_response', phase, detail, 200);
  const contentType = (contentTypeHeader ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (contentType.includes('html') || /^\s*</.test(body.subarray(0, 64).toString('utf8'))) {
    throw bad('HTML page instead of a manifest (captive portal or error page?)');
  }
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch {
    throw bad(`manifest is not valid JSON (${body.length} bytes)`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw bad('manifest is not a JSON object');
  const record = json as Record<string, unknown>;
  if (record['schemaVersion'] !== 2) {
    throw bad(`manifest schemaVersion ${String(record['schemaVersion']).slice(0, 10)}, expected 2`);
  }
  const bodyType = typeof record['mediaType'] === 'string' ? record['mediaType'] : null;
  const headerKnown = INDEX_TYPES.has(contentType) || IMAGE_TYPES.has(contentType);
  if (headerKnown && bodyType !== null && bodyType !== contentType) {
    throw bad(`Content-Type ${contentType} disagrees with mediaType ${bodyType.slice(0, 80)}`);
  }
  // OCI allows omitting mediaType in the body; the Content-Type then names it.
  const mediaType = headerKnown ? contentType : bodyType;
  if (mediaType === null) throw bad(`unexpected Content-Type "${contentType.slice(0, 80)}" and no mediaType`);
  if (INDEX_TYPES.has(mediaType)) {
    const manifests = record['manifests'];
    if (!Array.isArray(manifests)) throw bad('index without a manifests array');
    return { kind: 'index', mediaType, manifests: manifests.map((entry) => parseDescriptor(entry, bad)) };
  }
  if (IMAGE_TYPES.has(mediaType)) {
    const layers = record['layers'];
    if (!Array.isArray(layers) || layers.length === 0) throw bad('image manifest without layers');
    return {
      kind: 'image',
      mediaType,
      config: parseDescriptor(record['config'], bad),
      layers: layers.map((entry) => parseDescriptor(entry, bad)),
    };
  }
  throw bad(`unsupported manifest mediaType ${mediaType.slice(0, 80)}`);
}

function parseDescriptor(value: unknown, bad: (detail: string) => ProbeFailure): Descriptor {
  if (typeof value !== 'object' || value === null) throw bad('descriptor is not an object');
  const record = value as Record<string, unknown>;
  const { digest, size, mediaType, platform } = record;
  if (!isSha256Digest(digest)) throw bad(`descriptor digest is not sha256:<64 hex>`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw bad('descriptor size is not a byte count');
  let parsedPlatform: Descriptor['platform'] = null;
  if (typeof platform === 'object' && platform !== null) {
    const { os, architecture } = platform as Record<string, unknown>;
    if (typeof os === 'string' && typeof architecture === 'string') parsedPlatform = { os, architecture };
  }
  return { mediaType: typeof mediaType === 'string' ? mediaType : null, digest, size, platform: parsedPlatform };
}

/** The entry dockerd would pull on this platform; attestation entries (unknown/unknown) never match. */
export function selectPlatform(
  index: Extract<ParsedManifest, { kind: 'index' }>,
  platform: { os: string; architecture: string },
  phase: ProbePhase,
): Descriptor {
  const match = index.manifests.find(
    (entry) =>
      entry.platform?.os === platform.os &&
      entry.platform.architecture === platform.architecture &&
      (entry.mediaType === null || IMAGE_TYPES.has(entry.mediaType)),
  );
  if (match) return match;
  const offered = index.manifests
    .map((entry) => (entry.platform ? `${entry.platform.os}/${entry.platform.architecture}` : '?'))
    .slice(0, 8)
    .join(', ');
  throw new ProbeFailure(
    'bad_response',
    phase,
    `index has no ${platform.os}/${platform.architecture} entry (offers: ${offered || 'none'})`,
    200,
  );
}
