import type { FaultRule } from '../fault-rule.js';
import { sendRegistryError } from '../registry-request.js';

/**
 * Answers manifest requests with a fixed server error (503 by default) while
 * `/v2/` still works: a mirror whose front end is up but whose cache or
 * upstream is broken, as users met with hub-mirror.c.163.com's 502s.
 */
export function failManifests(status = 503): FaultRule {
  return {
    name: `manifests-${status}`,
    intercept({ kind, res }) {
      if (kind !== 'manifest') return false;
      sendRegistryError(res, status, 'UNAVAILABLE', 'service unavailable (lab fault)');
      return true;
    },
  };
}
