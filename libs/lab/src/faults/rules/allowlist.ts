import type { FaultRule } from '../fault-rule.js';
import { sendRegistryError } from '../registry-request.js';

/**
 * Serves only `library/*` and answers 403 for other repositories, manifests
 * and blobs alike, like DaoCloud's "not in whitelist" allowlist.
 */
export function allowOnlyLibrary(): FaultRule {
  return {
    name: 'allowlist-library-only',
    intercept({ kind, repository, res }) {
      if ((kind !== 'manifest' && kind !== 'blob') || repository === null || repository.startsWith('library/')) return false;
      sendRegistryError(res, 403, 'DENIED', `${repository} is not in whitelist (lab fault)`);
      return true;
    },
  };
}
