import type { FaultRule } from '../fault-rule.js';

/**
 * Answers blob reads with `307 Temporary Redirect` to a CDN URL, as Docker
 * Hub and S3-backed registries do; clients must follow it to another host.
 */
export function redirectBlobsTo(cdnUrl: string): FaultRule {
  return {
    name: 'redirect-blobs',
    intercept({ kind, req, res, repository, reference }) {
      if (kind !== 'blob' || (req.method !== 'GET' && req.method !== 'HEAD') || repository === null || reference === null) return false;
      res.writeHead(307, { location: `${cdnUrl}/${repository}/blobs/${reference}`, 'content-length': '0' });
      res.end();
      return true;
    },
  };
}
