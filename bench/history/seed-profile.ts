/**
 * What a month-old install holds: the catalog of seeded mirrors and the probe
 * rows the product would have written for each, generated deterministically
 * (a seeded PRNG), so SQLite and PostgreSQL get the same month.
 */
import { mirrorIdFromUrl } from '@mirrorwatch/catalog';

export const SEED_PORT_BASE = 45_000;
export const PROBED_REPOSITORY = 'library/alpine';
const DIGEST = `sha256:${'4b'.repeat(32)}`;
const PLATFORM_DIGEST = `sha256:${'7c'.repeat(32)}`;
const BLOB_DIGEST = `sha256:${'9d'.repeat(32)}`;
const INDEX_MEDIA_TYPE = 'application/vnd.oci.image.index.v1+json';

/**
 * Every real catalog has dead mirrors (the field notes list a dozen), so a
 * quarter of these never answer: the state in which the latest successful
 * deep probe has no row to find and an unindexed lookup walks all of them.
 */
export type MirrorProfile = 'dead' | 'flaky' | 'healthy';

export interface SeedMirror {
  index: number;
  id: string;
  url: string;
  name: string;
  profile: MirrorProfile;
}

export function seedMirrors(count: number): SeedMirror[] {
  return Array.from({ length: count }, (_, index) => {
    const url = `http://127.0.0.1:${SEED_PORT_BASE + 1 + index}`;
    const profile: MirrorProfile = index % 4 === 0 ? 'dead' : index % 4 === 1 ? 'flaky' : 'healthy';
    return { index, id: mirrorIdFromUrl(url), url, name: `Seeded mirror ${String(index + 1).padStart(3, '0')}`, profile };
  });
}

export function catalogYaml(mirrors: readonly SeedMirror[]): string {
  return mirrors.map((m) => `- name: ${m.name}\n  url: ${m.url}\n  provider: seeded ${m.profile}\n`).join('');
}

/** mulberry32: small, fast and reproducible. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A Probe row by column name, as the product's ProbeRepository writes it. */
export interface SeedProbe {
  mirrorId: string;
  vantageId: string;
  kind: 'light' | 'deep';
  repository: string;
  reference: string;
  startedAt: Date;
  durationMs: number;
  ok: boolean;
  failureClass: string | null;
  failedPhase: string | null;
  detail: string | null;
  httpStatus: number | null;
  dnsMs: number | null;
  connectMs: number | null;
  tlsMs: number | null;
  pingTtfbMs: number | null;
  tokenMs: number | null;
  manifestMs: number | null;
  blobTtfbMs: number | null;
  blobTransferMs: number | null;
  manifestDigest: string | null;
  mediaType: string | null;
  platformDigest: string | null;
  blobDigest: string | null;
  blobBytes: number | null;
  blobVerified: boolean | null;
  blobRedirects: number | null;
  throughputBytesPerSec: number | null;
  retryAfterSeconds: number | null;
}

export const PROBE_COLUMNS = [
  'mirrorId',
  'vantageId',
  'kind',
  'repository',
  'reference',
  'startedAt',
  'durationMs',
  'ok',
  'failureClass',
  'failedPhase',
  'detail',
  'httpStatus',
  'dnsMs',
  'connectMs',
  'tlsMs',
  'pingTtfbMs',
  'tokenMs',
  'manifestMs',
  'blobTtfbMs',
  'blobTransferMs',
  'manifestDigest',
  'mediaType',
  'platformDigest',
  'blobDigest',
  'blobBytes',
  'blobVerified',
  'blobRedirects',
  'throughputBytesPerSec',
  'retryAfterSeconds',
] as const satisfies readonly (keyof SeedProbe)[];

const round = (value: number) => Math.round(value * 1000) / 1000;

function failure(mirror: SeedMirror, kind: 'light' | 'deep', startedAt: Date, failureClass: string, random: () => number): SeedProbe {
  const refused = failureClass === 'connect_refused';
  return {
    ...blank(mirror, kind, startedAt),
    durationMs: refused ? round(0.4 + random()) : round(10_000 + random() * 50),
    failureClass,
    failedPhase: refused ? 'connect' : 'manifest',
    detail: refused ? `connect ECONNREFUSED ${mirror.url.slice('http://'.length)}` : 'manifest: no response within 10000 ms',
    dnsMs: refused ? null : round(0.1 + random() * 0.2),
    connectMs: refused ? null : round(0.3 + random()),
    pingTtfbMs: refused ? null : round(2 + random() * 4),
  };
}

function blank(mirror: SeedMirror, kind: 'light' | 'deep', startedAt: Date): SeedProbe {
  return {
    mirrorId: mirror.id,
    vantageId: 'local',
    kind,
    repository: PROBED_REPOSITORY,
    reference: 'latest',
    startedAt,
    durationMs: 0,
    ok: false,
    failureClass: null,
    failedPhase: null,
    detail: null,
    httpStatus: null,
    dnsMs: null,
    connectMs: null,
    tlsMs: null,
    pingTtfbMs: null,
    tokenMs: null,
    manifestMs: null,
    blobTtfbMs: null,
    blobTransferMs: null,
    manifestDigest: null,
    mediaType: null,
    platformDigest: null,
    blobDigest: null,
    blobBytes: null,
    blobVerified: null,
    blobRedirects: null,
    throughputBytesPerSec: null,
    retryAfterSeconds: null,
  };
}

/** One probe of `mirror` at `startedAt`, as its profile would have gone. */
export function seedProbe(mirror: SeedMirror, kind: 'light' | 'deep', startedAt: Date, random: () => number): SeedProbe {
  if (mirror.profile === 'dead') return failure(mirror, kind, startedAt, 'connect_refused', random);
  if (mirror.profile === 'flaky' && random() < 0.1) return failure(mirror, kind, startedAt, 'timeout', random);
  const manifestMs = round(20 + random() * 60 + (mirror.index % 7) * 10);
  const light: SeedProbe = {
    ...blank(mirror, kind, startedAt),
    ok: true,
    httpStatus: 200,
    dnsMs: round(0.1 + random() * 0.2),
    connectMs: round(0.3 + random()),
    pingTtfbMs: round(2 + random() * 4),
    manifestMs,
    durationMs: round(manifestMs + 8 + random() * 4),
    manifestDigest: DIGEST,
    mediaType: INDEX_MEDIA_TYPE,
    platformDigest: PLATFORM_DIGEST,
  };
  if (kind === 'light') return light;
  const blobTransferMs = round(300 + random() * 500);
  const blobBytes = 3_623_807;
  return {
    ...light,
    blobTtfbMs: round(5 + random() * 10),
    blobTransferMs,
    blobDigest: BLOB_DIGEST,
    blobBytes,
    blobVerified: true,
    blobRedirects: 0,
    throughputBytesPerSec: round((blobBytes / blobTransferMs) * 1000),
    durationMs: round(light.durationMs + blobTransferMs),
  };
}
