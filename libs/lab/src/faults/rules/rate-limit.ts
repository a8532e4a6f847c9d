import type { FaultRule } from '../fault-rule.js';
import { sendRegistryError } from '../registry-request.js';

/**
 * Answers pulls (manifests and blobs) with 429 and `Retry-After`, like
 * DaoCloud's per-IP limits; the code TOOMANYREQUESTS is what Docker Hub sends.
 * Keep `retryAfterSeconds` small: skopeo honours it and waits.
 */
export function rateLimit(retryAfterSeconds = 1): FaultRule {
  return {
    name: 'rate-limited',
    intercept({ kind, res }) {
      if (kind !== 'manifest' && kind !== 'blob') return false;
      sendRegistryError(res, 429, 'TOOMANYREQUESTS', 'too many requests (lab fault)', { 'retry-after': String(retryAfterSeconds) });
      return true;
    },
  };
}
