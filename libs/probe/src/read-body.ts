import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { classifyError } from './classify-error.js';
import { ProbeFailure } from './probe-failure.js';
import { headerValue, type Exchange } from './probe-session.js';

/** Live counters, readable even when the read fails (a blob that stops mid-way). */
export interface BodyProgress {
  bytes: number;
  firstByteAt: number | null;
  lastByteAt: number | null;
}

export interface ReadBodyOptions {
  cap: number;
  /** Keep the bytes (manifests, tokens) or only hash them (blobs). */
  keep: boolean;
  /** Stop quietly at the cap instead of failing: a deep probe samples a big layer. */
  truncateAtCap?: boolean;
  progress?: BodyProgress;
}

export interface BodyRead {
  data: Buffer | null;
  bytes: number;
  /** sha256 of the bytes read. */
  digest: string;
  truncated: boolean;
  firstByteAt: number | null;
  lastByteAt: number | null;
}

export function newProgress(): BodyProgress {
  return { bytes: 0, firstByteAt: null, lastByteAt: null };
}

/**
 * Reads a body under a byte cap and the exchange's overall body deadline.
 * Memory stays bounded by the cap: a declared Content-Length over the cap is
 * refused before reading, and a body that keeps coming past it is cut off.
 */
export async function readBody(exchange: Exchange, options: ReadBodyOptions): Promise<BodyRead> {
  const progress = options.progress ?? newProgress();
  const hash = createHash('sha256');
  const chunks: Buffer[] = [];
  let truncated = false;
  try {
    const declared = parseContentLength(headerValue(exchange.headers, 'content-length'));
    if (declared !== null && declared > options.cap && !options.truncateAtCap) {
      throw new ProbeFailure('too_large', exchange.phase, `declares ${declared} bytes, cap is ${options.cap}`, exchange.status);
    }
    for await (const raw of exchange.body) {
      const chunk = raw as Buffer;
      const now = performance.now();
      progress.firstByteAt ??= now;
      let piece = chunk;
      if (progress.bytes + chunk.length > options.cap) {
        if (!options.truncateAtCap) {
          throw new ProbeFailure('too_large', exchange.phase, `body exceeds the ${options.cap}-byte cap`, exchange.status);
        }
        piece = chunk.subarray(0, options.cap - progress.bytes);
        truncated = true;
      }
      hash.update(piece);
      if (options.keep) chunks.push(piece);
      progress.bytes += piece.length;
      progress.lastByteAt = now;
      if (truncated) break;
    }
  } catch (error) {
    discardBody(exchange);
    throw classifyError(error, exchange.phase, exchange.deadlines);
  } finally {
    exchange.deadline.clear();
  }
  return {
    data: options.keep ? Buffer.concat(chunks) : null,
    bytes: progress.bytes,
    digest: `sha256:${hash.digest('hex')}`,
    truncated,
    firstByteAt: progress.firstByteAt,
    lastByteAt: progress.lastByteAt,
  };
}

/** Reads and drops a small body (redirects, errors) so the exchange ends cleanly; never fails. */
export async function readSnippet(exchange: Exchange, limit = 16 * 1024): Promise<string> {
  try {
    const read = await readBody(exchange, { cap: limit, keep: true, truncateAtCap: true });
    return read.data?.toString('utf8') ?? '';
  } catch {
    return '';
  }
}

function parseContentLength(value: string | null): number | null {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return null;
  return Number(value);
}

/** Only `identity` (or no header) is acceptable where we parse the body: we never asked for an encoding. */
export function assertNotEncoded(exchange: Exchange): void {
  const encoding = headerValue(exchange.headers, 'content-encoding')?.trim().toLowerCase() ?? '';
  if (encoding !== '' && encoding !== 'identity') {
    discardBody(exchange);
    throw new ProbeFailure(
      'bad_response',
      exchange.phase,
      `unrequested Content-Encoding "${encoding.slice(0, 40)}" (we sent Accept-Encoding: identity)`,
      exchange.status,
    );
  }
}

/** Drops a body we will not read. The error listener keeps undici's abort of it from going unhandled. */
export function discardBody(exchange: Exchange): void {
  exchange.body.on('error', () => undefined);
  exchange.body.destroy();
  exchange.deadline.clear();
}
