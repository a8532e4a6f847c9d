import { performance } from 'node:perf_hooks';
import type { ProbePhase } from '@mirrorwatch/domain';
import { isSha256Digest, sha256Digest, shortDigest } from './digest.js';
import { sendFollowingRedirects } from './follow-redirects.js';
import { MANIFEST_ACCEPT, parseManifest, selectPlatform, type ParsedManifest } from './manifest-shape.js';
import { ProbeFailure } from './probe-failure.js';
import { assertNotEncoded, discardBody, readBody } from './read-body.js';
import { failureFromResponse } from './registry-error.js';
import { headerValue, type Exchange } from './probe-session.js';
import { findBearerChallenge, parseWwwAuthenticate } from './www-authenticate.js';
import { authHeaders, registryUrl, type ProbeContext } from './probe-context.js';
import { tokenStep } from './token-step.js';

export interface FetchedManifest {
  digest: string;
  parsed: ParsedManifest;
}

/**
 * `GET /v2/<repo>/manifests/<tag>`: the request every pull makes and users
 * feel. Records the digest (sha256 of the body, cross-checked against
 * Docker-Content-Digest) and, for an index, the platform entry dockerd picks.
 */
export async function manifestStep(context: ProbeContext): Promise<ParsedManifest> {
  context.phase = 'manifest';
  const { repository, reference, platform } = context.options;
  const startedAt = performance.now();
  const manifest = await fetchManifest(context, reference, 'manifest');
  context.timings.manifestMs = performance.now() - startedAt;
  const platformDigest = manifest.parsed.kind === 'index' ? selectPlatform(manifest.parsed, platform, 'manifest').digest : null;
  context.manifest = { repository, reference, digest: manifest.digest, mediaType: manifest.parsed.mediaType, platformDigest };
  noteExpectedDigest(context, manifest.digest, platformDigest);
  await resolveMorePlatforms(context, manifest.parsed);
  return manifest.parsed;
}

/**
 * A mirror can list a platform in the index yet fail to serve its manifest
 * (a pull-through cache that only fetched what it was asked for, upstream
 * trouble): each extra platform's image manifest is fetched by digest, as a
 * host of that architecture would, and checked against it.
 */
async function resolveMorePlatforms(context: ProbeContext, parsed: ParsedManifest): Promise<void> {
  const platforms = context.options.alsoResolve ?? [];
  if (platforms.length === 0) return;
  if (parsed.kind !== 'index') {
    throw new ProbeFailure(
      'bad_response',
      'manifest',
      `expected a multi-platform index for ${platforms.map((p) => `${p.os}/${p.architecture}`).join(', ')}, got a single image manifest`,
      200,
    );
  }
  for (const platform of platforms) {
    const entry = selectPlatform(parsed, platform, 'manifest');
    await fetchManifest(context, entry.digest, 'manifest');
  }
}

export async function fetchManifest(context: ProbeContext, reference: string, phase: ProbePhase): Promise<FetchedManifest> {
  let exchange = await requestManifest(context, reference, phase);
  // A mirror may answer /v2/ with 200 yet challenge per repository: do the dance once, as
  // docker/distribution's client does when a request comes back 401 with a challenge.
  if (exchange.status === 401 && context.token === null) {
    const challenge = findBearerChallenge(parseWwwAuthenticate(exchange.headers['www-authenticate']));
    if (challenge?.params['realm']) {
      discardBody(exchange);
      await tokenStep(context, challenge);
      context.phase = phase;
      exchange = await requestManifest(context, reference, phase);
    }
  }
  if (exchange.status === 401) {
    discardBody(exchange);
    const why = context.token === null ? 'without a usable Bearer challenge' : 'even with a token';
    throw new ProbeFailure('auth', phase, `manifest refused with 401 ${why}`, 401);
  }
  if (exchange.status !== 200) throw await failureFromResponse(exchange, phase);

  assertNotEncoded(exchange);
  const body = await readBody(exchange, { cap: context.options.caps.manifestBytes, keep: true });
  const data = body.data ?? Buffer.alloc(0);
  const digest = sha256Digest(data);
  const declared = headerValue(exchange.headers, 'docker-content-digest')?.trim() ?? null;
  if (declared !== null && declared !== '' && declared !== digest) {
    throw new ProbeFailure(
      'integrity',
      phase,
      `Docker-Content-Digest ${shortDigest(declared)} but body hashes to ${shortDigest(digest)}`,
      200,
    );
  }
  // Pulling by digest: the content must hash to it (image-spec content addressability).
  if (isSha256Digest(reference) && reference !== digest) {
    throw new ProbeFailure('integrity', phase, `manifest ${shortDigest(reference)} hashes to ${shortDigest(digest)}`, 200);
  }
  return { digest, parsed: parseManifest(data, headerValue(exchange.headers, 'content-type'), phase) };
}

async function requestManifest(context: ProbeContext, reference: string, phase: ProbePhase): Promise<Exchange> {
  const { exchange } = await sendFollowingRedirects(
    context.session,
    registryUrl(context, `/v2/${context.options.repository}/manifests/${reference}`),
    { phase, headers: { accept: MANIFEST_ACCEPT, ...authHeaders(context) } },
    context.options.maxRedirects,
  );
  context.httpStatus = exchange.status;
  return exchange;
}

/** Freshness is judged by scoring; the engine only says what it saw. */
function noteExpectedDigest(context: ProbeContext, digest: string, platformDigest: string | null): void {
  const expected = context.options.expectedDigest;
  if (!expected || expected === digest || expected === platformDigest) return;
  context.notes.push(`serves ${shortDigest(digest)}, expected ${shortDigest(expected)}`);
}
