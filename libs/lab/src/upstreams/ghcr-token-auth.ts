import { randomBytes } from 'node:crypto';
import type { FaultRule } from '../faults/fault-rule.js';
import { sendRegistryError } from '../faults/registry-request.js';

/** ghcr.io's answer to an unauthenticated `/v2/`: a placeholder scope a client must not copy into its token request. */
export const GHCR_PLACEHOLDER_SCOPE = 'repository:user/image:pull';

export interface GhcrTokenAuth extends FaultRule {
  /** Tokens handed out so far: proof that a client really did the exchange. */
  tokensIssued(): number;
}

/**
 * Token auth in ghcr.io's flavour, in front of a plain registry (the fault
 * proxy forwards what this rule lets through), different from Docker Hub's in
 * the ways that break naive clients:
 * - the token endpoint is `/token` on the registry host itself, not a
 *   separate auth host, and needs no `service` parameter;
 * - the `/v2/` challenge carries `scope="repository:user/image:pull"`, a
 *   placeholder: a token for it opens nothing;
 * - the answer is `{"token": ...}` alone (no `access_token`, no
 *   `expires_in`), and the token is opaque, not a JWT;
 * - a token opens only the repositories named in its scopes; anything else is
 *   401 with a challenge naming the repository asked for.
 */
export function ghcrTokenAuth(): GhcrTokenAuth {
  const grants = new Map<string, Set<string>>();
  return {
    name: 'ghcr-token-auth',
    tokensIssued: () => grants.size,
    intercept({ req, res, url, kind, repository }) {
      const origin = `http://${req.headers.host ?? '127.0.0.1'}`;
      if (url.pathname === '/token') {
        const repositories = new Set(
          url.searchParams
            .getAll('scope')
            .map((scope) => /^repository:([^:]+):(.+)$/.exec(scope))
            .filter((match): match is RegExpExecArray => match !== null && (match[2] ?? '').split(',').includes('pull'))
            .map((match) => match[1] ?? ''),
        );
        const token = `djE6${randomBytes(24).toString('base64url')}`;
        grants.set(token, repositories);
        const body = JSON.stringify({ token });
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
        res.end(body);
        return true;
      }
      const bearer = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      const granted = bearer === undefined ? undefined : grants.get(bearer);
      const allowed = granted !== undefined && (kind === 'ping' || (repository !== null && granted.has(repository)));
      if (allowed) return false;
      const scope = repository === null ? GHCR_PLACEHOLDER_SCOPE : `repository:${repository}:pull`;
      sendRegistryError(res, 401, 'UNAUTHORIZED', 'authentication required', {
        'www-authenticate': `Bearer realm="${origin}/token",service="ghcr.io",scope="${scope}"`,
      });
      return true;
    },
  };
}
