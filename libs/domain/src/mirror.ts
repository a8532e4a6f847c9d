export type MirrorStatus = 'up' | 'degraded' | 'down' | 'unknown';
export const MIRROR_STATUSES: readonly MirrorStatus[] = ['up', 'degraded', 'down', 'unknown'];

export type Visibility = 'public' | 'private';

/** A mirror as declared in the catalog file or through the admin API. */
export interface MirrorDefinition {
  /** Stable slug derived from the URL (see catalog's `mirrorIdFromUrl`); used in URLs and badges. */
  id: string;
  name: string;
  /** Normalized base URL as dockerd accepts it: scheme + host [+ port], no path. */
  url: string;
  provider: string | null;
  notes: string | null;
  visibility: Visibility;
  /** Path of a PEM bundle to trust for this mirror (private CA). */
  caPath: string | null;
}
