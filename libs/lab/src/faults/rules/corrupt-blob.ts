import { Transform } from 'node:stream';
import type { FaultRule } from '../fault-rule.js';

const FLIP_EVERY_BYTES = 64 * 1024;

/**
 * Flips one byte in every 64 KiB of blob bodies while keeping the length, so
 * the download "succeeds" and only a sha256 check against the digest catches
 * it: the incomplete/garbled blobs reported of hub-mirror.c.163.com.
 */
export function corruptBlobs(): FaultRule {
  return {
    name: 'corrupt-blobs',
    deliver({ kind, req, res }, upstream) {
      if (kind !== 'blob' || req.method !== 'GET' || upstream.statusCode !== 200) return false;
      let offset = 0;
      const flipper = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          const out = Buffer.from(chunk);
          for (let i = (FLIP_EVERY_BYTES - (offset % FLIP_EVERY_BYTES)) % FLIP_EVERY_BYTES; i < out.length; i += FLIP_EVERY_BYTES) {
            out[i] = (out[i] ?? 0) ^ 0xff;
          }
          offset += out.length;
          callback(null, out);
        },
      });
      res.writeHead(200, upstream.headers);
      upstream.pipe(flipper).pipe(res);
      return true;
    },
  };
}
