import type { FaultRule } from '../fault-rule.js';

/**
 * Sends the blob headers (with the full Content-Length) and half the body,
 * then goes silent without closing: a mirror whose upstream fetch stalled.
 * Only a body timeout on the client ends the download; stop() closes the socket.
 */
export function stallBlobs(fraction = 0.5): FaultRule {
  return {
    name: 'stalled-blobs',
    deliver({ kind, req, res }, upstream) {
      if (kind !== 'blob' || req.method !== 'GET' || upstream.statusCode !== 200) return false;
      const total = Number(upstream.headers['content-length'] ?? Number.NaN);
      const limit = Number.isFinite(total) ? Math.floor(total * fraction) : 1024;
      let sent = 0;
      res.writeHead(200, upstream.headers);
      const onData = (chunk: Buffer): void => {
        const room = limit - sent;
        if (room > 0) {
          const part = chunk.subarray(0, room);
          sent += part.length;
          res.write(part);
        }
        if (sent >= limit) {
          upstream.off('data', onData);
          upstream.destroy();
        }
      };
      upstream.on('data', onData);
      return true;
    },
  };
}
