import { z } from 'zod';

/**
 * One catalog entry as written in YAML. Unknown keys are errors (a typo such as
 * `visiblity: private` must not silently publish a private mirror). Empty
 * optional values (`provider:` with nothing after it) read as absent.
 */
export const catalogEntrySchema = z.strictObject({
  name: z.string().trim().min(1, 'must not be empty'),
  url: z.string(),
  provider: z.string().trim().nullish(),
  notes: z.string().trim().nullish(),
  visibility: z.enum(['public', 'private']).nullish(),
  ca: z.string().trim().min(1, 'must not be empty').nullish(),
  /** The registry mirrored (`registry.k8s.io`); absent: `docker.io`, so catalogs written before upstreams keep their meaning. */
  upstream: z.string().nullish(),
  /** Repository prefix of a path-prefix mirror (`registry.k8s.io` on `m.daocloud.io`). */
  pathPrefix: z.string().nullish(),
  /** Where `pathPrefix` goes: `repository-prefix` (after /v2/, the default) or `registry-root` (before /v2). */
  pathStyle: z.string().nullish(),
});

export type CatalogEntryInput = z.infer<typeof catalogEntrySchema>;

export const CATALOG_KEYS = Object.keys(catalogEntrySchema.shape);
