import { createHash } from 'node:crypto';

/**
 * Incompressible but reproducible bytes: SHA-256 in counter mode over a seed.
 * gzip cannot shrink them, so a blob download really moves `length` bytes and
 * throughput figures mean something, while digests stay stable across runs.
 */
export function deterministicBytes(seed: string, length: number): Buffer {
  const out = Buffer.alloc(length);
  let offset = 0;
  for (let counter = 0; offset < length; counter += 1) {
    const block = createHash('sha256').update(`${seed}:${counter}`).digest();
    offset += block.copy(out, offset);
  }
  return out;
}
