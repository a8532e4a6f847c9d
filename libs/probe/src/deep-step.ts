import type { ProbePhase } from '@mirrorwatch/domain';
import { shortDigest } from './digest.js';
import { sendFollowingRedirects } from './follow-redirects.js';
import type { Descriptor, ParsedManifest } from './manifest-shape.js';
import { fetchManifest } from './manifest-step.js';
import { ProbeFailure } from './probe-failure.js';
import { newProgress, readBody } from './read-body.js';
import { failureFromResponse } from './registry-error.js';
import { authHeaders, registryUrl, type ProbeContext } from './probe-context.js';

/**
 * Deep probe: what dockerd does after the manifest. Fetch the platform image
 * manifest (when the tag is an index), the config blob and one layer, each
 * verified against its digest. The smallest layer keeps the probe polite on
 * rate-limited mirrors (DaoCloud serves blobs at ~1 MiB/s).
 */
export async function deepStep(context: ProbeContext, top: ParsedManifest): Promise<void> {
  let image = top;
  const platformDigest = context.manifest?.platformDigest ?? null;
  if (top.kind === 'index' && platformDigest !== null) {
    // fetchManifest verifies the body hashes to the digest we asked for.
    const platform = await fetchManifest(context, platformDigest, 'manifest');
    image = platform.parsed;
  }
  if (image.kind !== 'image') {
    throw new ProbeFailure('bad_response', 'manifest', `platform entry is ${image.mediaType}, not an image manifest`, 200);
  }
  context.phase = 'config';
  await fetchBlob(context, image.config, 'config');
  context.phase = 'blob';
  const layer = image.layers.reduce((smallest, candidate) => (candidate.size < smallest.size ? candidate : smallest));
  await fetchBlob(context, layer, 'blob');
}

async function fetchBlob(context: ProbeContext, descriptor: Descriptor, phase: ProbePhase): Promise<void> {
  const cap = context.options.caps.blobBytes;
  // A layer larger than the cap is sampled: read up to the cap for throughput, unverified.
  const sample = phase === 'blob' && descriptor.size > cap;
  const { exchange, redirects, firstSentAt } = await sendFollowingRedirects(
    context.session,
    registryUrl(context, `/v2/${context.options.repository}/blobs/${descriptor.digest}`),
    { phase, headers: authHeaders(context) },
    context.options.maxRedirects,
  );
  context.httpStatus = exchange.status;
  if (exchange.status !== 200) throw await failureFromResponse(exchange, phase);

  const progress = newProgress();
  const recordBlob = (verified: boolean) => {
    if (phase !== 'blob') return;
    const transferMs = progress.firstByteAt !== null && progress.lastByteAt !== null ? progress.lastByteAt - progress.firstByteAt : null;
    context.timings.blobTtfbMs = progress.firstByteAt === null ? null : progress.firstByteAt - firstSentAt;
    context.timings.blobTransferMs = transferMs;
    context.blob = {
      digest: descriptor.digest,
      bytes: progress.bytes,
      throughputBytesPerSec: transferMs !== null && transferMs > 0 ? progress.bytes / (transferMs / 1000) : null,
      verified,
      redirects,
    };
  };
  // Blobs are stored compressed (tar+gzip): whatever Content-Encoding says, the raw
  // bytes are what the digest covers, and we never inflate them.
  let read;
  try {
    read = await readBody(exchange, {
      // Never accept more than the manifest said: a longer body is a lie, not a bigger blob.
      cap: sample ? cap : Math.min(cap, descriptor.size),
      keep: false,
      truncateAtCap: sample,
      progress,
    });
  } catch (error) {
    recordBlob(false);
    if (error instanceof ProbeFailure && error.failureClass === 'too_large' && !sample && descriptor.size <= cap) {
      throw new ProbeFailure('too_large', phase, `body exceeds the ${descriptor.size} bytes its descriptor declares`, exchange.status);
    }
    throw error;
  }
  if (read.truncated) {
    recordBlob(false);
    context.notes.push(
      `layer ${shortDigest(descriptor.digest)} is ${descriptor.size} bytes, over the ${cap}-byte cap: read ${read.bytes} bytes unverified`,
    );
    return;
  }
  const verified = read.digest === descriptor.digest;
  recordBlob(verified);
  if (!verified) {
    const what = phase === 'config' ? 'config blob' : 'layer';
    throw new ProbeFailure(
      'integrity',
      phase,
      `${what} ${shortDigest(descriptor.digest)} hashes to ${shortDigest(read.digest)} (${read.bytes} bytes)`,
      exchange.status,
    );
  }
}
