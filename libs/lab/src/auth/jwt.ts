import { createSign, randomUUID } from 'node:crypto';

export interface RegistryAccess {
  type: string;
  name: string;
  actions: string[];
}

export interface RegistryTokenClaims {
  issuer: string;
  audience: string;
  subject: string;
  access: RegistryAccess[];
  /** Seconds since the epoch. */
  issuedAt: number;
  expiresInSeconds: number;
}

function base64Url(data: Buffer | string): string {
  return Buffer.from(data).toString('base64url');
}

/**
 * Signs a registry bearer token (distribution docs/spec/auth/jwt.md) with
 * RS256. distribution 2.8 finds the verifying key through the `x5c` header
 * first (registry/auth/token/token.go, VerifySigningKey) and checks that chain
 * against `rootcertbundle`, so the signing certificate itself goes in x5c.
 */
export function signRegistryToken(claims: RegistryTokenClaims, privateKeyPem: string, certificateBase64Der: string): string {
  const header = { typ: 'JWT', alg: 'RS256', x5c: [certificateBase64Der] };
  const payload = {
    iss: claims.issuer,
    sub: claims.subject,
    aud: claims.audience,
    exp: claims.issuedAt + claims.expiresInSeconds,
    // distribution rejects tokens whose nbf lies in its future; allow a little clock skew.
    nbf: claims.issuedAt - 10,
    iat: claims.issuedAt,
    jti: randomUUID(),
    access: claims.access,
  };
  const signingInput = `${base64Url(JSON.stringify(header))}.${base64Url(JSON.stringify(payload))}`;
  const signature = createSign('RSA-SHA256').update(signingInput).sign(privateKeyPem);
  return `${signingInput}.${base64Url(signature)}`;
}

/**
 * Parses `scope` parameters as sent by clients (`repository:library/alpine:pull`,
 * several may be given). The name may itself contain ':' only with a port in a
 * registry host, so the type is the first field and the actions the last.
 */
export function parseScopes(scopes: readonly string[]): RegistryAccess[] {
  const access: RegistryAccess[] = [];
  for (const scope of scopes) {
    for (const single of scope.split(' ')) {
      const first = single.indexOf(':');
      const last = single.lastIndexOf(':');
      if (first <= 0 || last === first) continue;
      access.push({
        type: single.slice(0, first),
        name: single.slice(first + 1, last),
        actions: single
          .slice(last + 1)
          .split(',')
          .filter(Boolean),
      });
    }
  }
  return access;
}
