import type { FailureClass } from '@mirrorwatch/domain';

/** One image of the coverage set, as `GET /api/coverage` lists it. */
export interface CoverageImageDto {
  /** `repository:tag`. */
  image: string;
  library: boolean;
  /** Platforms whose manifests must resolve too, e.g. `linux/arm64`. */
  platforms: string[];
  /** Nobody could show this image exists (reference unreachable or 404, no working mirror serves it): fix the configuration. */
  broken: boolean;
}

/** `GET /api/coverage`: the coverage set and whether any of its images is broken (the dashboard's banner). */
export interface CoverageOverviewDto {
  /** ISO-8601 time of the latest judgement; null before the first. */
  judgedAt: string | null;
  images: CoverageImageDto[];
  brokenImages: string[];
}

/** One mirror's answer in `GET /api/images/{repository}:{tag}`. */
export interface ImageLookupMirrorDto {
  id: string;
  name: string;
  url: string;
  /** True when the mirror served the manifest. */
  served: boolean;
  /** Top-level manifest digest served. */
  digest: string | null;
  failureClass: FailureClass | null;
  detail: string | null;
  /** Manifest fetch time, milliseconds. */
  manifestMs: number | null;
  /** Not asked: the mirror's hourly probe budget is spent (public mirrors rate-limit us). */
  skipped: 'budget' | null;
}

/** `GET /api/images/{repository}:{tag}`: which public mirrors serve that manifest now, and with which digest. */
export interface ImageLookupDto {
  /** Normalized, e.g. `library/alpine:3.20`. */
  image: string;
  repository: string;
  tag: string;
  /** ISO-8601 time the mirrors were asked (answers are reused for a few minutes). */
  checkedAt: string;
  /** Served mirrors first, then by name. */
  mirrors: ImageLookupMirrorDto[];
}
