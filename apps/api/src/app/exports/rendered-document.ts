import { createHash } from 'node:crypto';

/** An export rendered once and served from memory until the recommendation changes. */
export interface RenderedDocument {
  body: string;
  contentType: string;
  /** Strong validator over the body (RFC 9110 8.8.3), for `If-None-Match` from fleets. */
  etag: string;
  /** The mirrors the body carries (empty: no healthy mirror, a warning header); null when not a recommendation. */
  mirrors: readonly string[] | null;
  /** When the recommendation behind it was computed; null when not a recommendation. */
  computedAt: Date | null;
}

export function strongEtag(body: string): string {
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
