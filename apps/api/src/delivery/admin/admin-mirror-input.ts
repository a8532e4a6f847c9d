import { z } from 'zod';
import { mirrorIdFor, normalizeMirrorUrl } from '@mirrorwatch/catalog';
import {
  DEFAULT_PATH_STYLE,
  DOCKER_HUB_REGISTRY,
  PATH_STYLES,
  parsePathPrefix,
  parseUpstreamHost,
  type MirrorDefinition,
  type Visibility,
} from '@mirrorwatch/domain';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { newPrivateMirrorId, type MirrorPatch } from '#infrastructure/persistence/mirror.repository.js';
import { fieldPath } from '#infrastructure/http/field-path.js';

const optionalText = (max: number) => z.string().trim().max(max, `must be at most ${max} characters`).nullable().optional();

/** dockerd's rules (catalog's normalizeMirrorUrl), reported with the reason it gives. */
const mirrorUrl = z.string().transform((value, ctx) => {
  const result = normalizeMirrorUrl(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }
  return result.url;
});

/** The catalog's rules for `upstream`, `pathPrefix` and `pathStyle`, reported with their reasons. */
const upstream = z.string().transform((value, ctx) => {
  const result = parseUpstreamHost(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }
  return result.host;
});
const pathPrefix = z.string().transform((value, ctx) => {
  const result = parsePathPrefix(value);
  if (!result.ok) {
    ctx.addIssue({ code: 'custom', message: result.reason });
    return z.NEVER;
  }
  return result.pathPrefix;
});

const CREATE_SCHEMA = z.strictObject({
  url: mirrorUrl,
  upstream: upstream.optional(),
  pathPrefix: pathPrefix.nullable().optional(),
  pathStyle: z.enum(PATH_STYLES, { error: `must be ${PATH_STYLES.join(' or ')}` }).optional(),
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be a slug: lowercase letters, digits and "-"')
    .optional(),
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  provider: optionalText(200),
  notes: optionalText(2000),
  visibility: z.enum(['public', 'private']).optional(),
  enabled: z.boolean().optional(),
});

const PATCH_SCHEMA = z.strictObject({
  url: mirrorUrl.optional(),
  name: z.string().trim().min(1, 'must not be empty').max(200).optional(),
  provider: optionalText(200),
  notes: optionalText(2000),
  visibility: z.enum(['public', 'private']).optional(),
  enabled: z.boolean().optional(),
});

export interface MirrorCreation {
  definition: MirrorDefinition;
  enabled: boolean;
}

/**
 * A new mirror from the admin API. Private is the default: a personal
 * accelerator URL (`https://<id>.mirror.aliyuncs.com`) is a credential of
 * sorts, so nothing is public unless the admin says so. A private mirror's id
 * is random (and stored), not the URL's slug or a hash of it: ids appear in
 * metric labels, logs and paths, and a short accelerator id could be brute-forced from a hash.
 */
export function parseMirrorCreation(body: unknown): MirrorCreation {
  const input = parseOrThrow(CREATE_SCHEMA, body);
  if (input.pathStyle !== undefined && !input.pathPrefix) {
    throw new InvalidParameterException('pathStyle', 'needs a pathPrefix: a mirror served at its root has no path to place');
  }
  const visibility: Visibility = input.visibility ?? 'private';
  const id = input.id ?? (visibility === 'private' ? newPrivateMirrorId() : mirrorIdFor(input.url, input.pathPrefix));
  return {
    definition: {
      id,
      url: input.url,
      name: input.name ?? (visibility === 'private' ? `private mirror ${id.slice('private-'.length)}` : new URL(input.url).host),
      provider: input.provider ?? null,
      notes: input.notes ?? null,
      visibility,
      caPath: null,
      upstream: input.upstream ?? DOCKER_HUB_REGISTRY,
      pathPrefix: input.pathPrefix ?? null,
      ...(input.pathPrefix ? { pathStyle: input.pathStyle ?? DEFAULT_PATH_STYLE } : {}),
    },
    enabled: input.enabled ?? true,
  };
}

/**
 * Fields that say what a mirror is, not how it is described: the id is derived
 * from them (and appears in history, metrics and exports) and they choose the
 * paths every probe walks, so changing one would silently splice two mirrors'
 * histories together. They are named in the refusal rather than called unknown.
 */
const FIXED_AT_CREATION = ['id', 'upstream', 'pathPrefix', 'pathStyle'] as const;

export function parseMirrorPatch(body: unknown): MirrorPatch {
  if (body !== null && typeof body === 'object' && !Array.isArray(body)) {
    const fixed = FIXED_AT_CREATION.find((key) => Object.hasOwn(body, key));
    if (fixed) {
      throw new InvalidParameterException(
        fixed,
        "cannot be changed after creation: it decides the mirror's id and probed paths; delete the mirror and add it again",
      );
    }
  }
  const input = parseOrThrow(PATCH_SCHEMA, body);
  const patch: MirrorPatch = {};
  for (const [key, value] of Object.entries(input)) if (value !== undefined) (patch as Record<string, unknown>)[key] = value;
  if (Object.keys(patch).length === 0)
    throw new InvalidParameterException('body', 'nothing to change: give url, name, provider, notes, visibility or enabled');
  return patch;
}

function parseOrThrow<T>(schema: z.ZodType<T>, body: unknown): T {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new InvalidParameterException('body', 'must be a JSON object');
  }
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  if (issue?.code === 'unrecognized_keys') {
    throw new InvalidParameterException(fieldPath([String(issue.keys[0])]), 'is not a mirror field');
  }
  const field = issue?.path.length ? issue.path.map(String).join('.') : 'body';
  throw new InvalidParameterException(field, issue?.message ?? 'invalid value');
}
