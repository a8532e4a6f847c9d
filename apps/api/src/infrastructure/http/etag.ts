import { createHash } from 'node:crypto';

/** Strong validator over a body (RFC 9110 8.8.3): the same bytes give the same tag on every replica. */
export function strongEtag(body: string | Uint8Array): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** `If-None-Match` matching for GET (weak comparison, RFC 9110 13.1.2): `*`, a list, W/ prefixes. */
export function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag === etag || tag === `W/${etag}`;
  });
}
