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
