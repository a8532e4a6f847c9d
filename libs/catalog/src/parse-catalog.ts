import { isAbsolute, dirname, resolve } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument, type Node as YamlNode } from 'yaml';
import type { z } from 'zod';
import {
  DOCKER_HUB_REGISTRY,
  DEFAULT_PATH_STYLE,
  parsePathPrefix,
  parsePathStyle,
  parseUpstreamHost,
  type MirrorDefinition,
} from '@mirrorwatch/domain';
import { CatalogError, type CatalogErrorLocation } from './catalog-error.js';
import { CATALOG_KEYS, catalogEntrySchema } from './catalog-schema.js';
import { mirrorEndpoint, mirrorIdFor, normalizeMirrorUrl } from './mirror-url.js';

/**
 * Parses a catalog: a YAML list of `{ name, url, provider?, notes?,
 * visibility?, ca?, upstream?, pathPrefix?, pathStyle? }`, or an object `{ mirrors: [...] }` holding that list.
 * Every problem throws a `CatalogError` naming `source`, the entry and the
 * key. `ca` paths are resolved against the directory of `source`, so `source`
 * should be the file's path.
 */
export function parseCatalog(text: string, source: string): MirrorDefinition[] {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const firstError = document.errors[0];
  if (firstError) {
    const line = lineCounter.linePos(firstError.pos[0]).line;
    throw new CatalogError({ source, line }, `not valid YAML: ${firstError.message.split('\n')[0]}`);
  }

  const list = findEntryList(document.contents, source);
  const lineOf = (node: unknown): number | undefined =>
    node && typeof node === 'object' && 'range' in node && Array.isArray(node.range)
      ? lineCounter.linePos(node.range[0] as number).line
      : undefined;

  const mirrors: MirrorDefinition[] = [];
  const firstByUrl = new Map<string, { number: number; name: string }>();
  const firstById = new Map<string, { number: number; name: string }>();

  list.items.forEach((item, index) => {
    const raw: unknown = (item as YamlNode | null)?.toJSON?.() ?? item;
    const location: CatalogErrorLocation = { source, entryNumber: index + 1, line: lineOf(item) };
    const rawName = raw && typeof raw === 'object' && 'name' in raw ? raw.name : undefined;
    if (typeof rawName === 'string' && rawName.trim() !== '') location.entryName = rawName.trim();

    const parsed = catalogEntrySchema.safeParse(raw);
    if (!parsed.success) throw schemaError(parsed.error, raw, location);
    const entry = parsed.data;

    const normalized = normalizeMirrorUrl(entry.url);
    if (!normalized.ok) throw new CatalogError({ ...location, field: 'url' }, normalized.reason);
    const url = normalized.url;
    const upstream = parseOptional(entry.upstream, parseUpstreamHost, { ...location, field: 'upstream' });
    const prefix = parseOptional(entry.pathPrefix, parsePathPrefix, { ...location, field: 'pathPrefix' });
    const pathPrefix = prefix?.pathPrefix ?? null;
    const style = parseOptional(entry.pathStyle, parsePathStyle, { ...location, field: 'pathStyle' });
    if (style && !pathPrefix)
      throw new CatalogError({ ...location, field: 'pathStyle' }, 'needs a pathPrefix: a mirror served at its root has no path to place');
    const id = mirrorIdFor(url, pathPrefix);
    const endpoint = mirrorEndpoint(url, pathPrefix);

    // One endpoint mirrors one upstream: a host serving several does it under different path prefixes.
    const sameUrl = firstByUrl.get(endpoint);
    if (sameUrl) {
      throw new CatalogError(
        { ...location, field: pathPrefix ? 'pathPrefix' : 'url' },
        `${endpoint} is already declared by ${describe(sameUrl)}`,
      );
    }
    const sameId = firstById.get(id);
    if (sameId) {
      throw new CatalogError({ ...location, field: 'url' }, `${url} maps to the id "${id}", already used by ${describe(sameId)}`);
    }
    firstByUrl.set(endpoint, { number: index + 1, name: entry.name });
    firstById.set(id, { number: index + 1, name: entry.name });

    mirrors.push({
      id,
      name: entry.name,
      url,
      provider: emptyToNull(entry.provider),
      notes: emptyToNull(entry.notes),
      visibility: entry.visibility ?? 'public',
      caPath: entry.ca ? resolveCaPath(entry.ca, source) : null,
      upstream: upstream?.host ?? DOCKER_HUB_REGISTRY,
      pathPrefix,
      ...(pathPrefix ? { pathStyle: style?.pathStyle ?? DEFAULT_PATH_STYLE } : {}),
    });
  });
  return mirrors;
}

function findEntryList(contents: unknown, source: string) {
  if (contents === null || contents === undefined) {
    throw new CatalogError({ source }, 'the file is empty; expected a list of mirrors (or `mirrors:` holding one)');
  }
  if (isSeq(contents)) return contents;
  if (isMap(contents)) {
    const keys = contents.items.map((pair) => String((pair.key as YamlNode | null)?.toJSON?.() ?? pair.key));
    const extra = keys.filter((key) => key !== 'mirrors');
    if (extra.length > 0) {
      throw new CatalogError({ source }, `unknown top-level key(s) ${extra.map((k) => `"${k}"`).join(', ')}; only "mirrors" is allowed`);
    }
    const list = contents.get('mirrors', true);
    if (isSeq(list)) return list;
    // `mirrors:` with nothing after it: an explicitly empty catalog.
    if (list === undefined || (list as YamlNode | null)?.toJSON?.() === null) return { items: [] as unknown[] };
  }
  throw new CatalogError({ source }, 'expected a list of mirrors (or an object with a `mirrors:` list)');
}

function schemaError(error: z.ZodError, raw: unknown, location: CatalogErrorLocation): CatalogError {
  const issue = error.issues[0];
  if (!issue) return new CatalogError(location, 'invalid entry');
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    return new CatalogError(location, `unknown key(s) ${keys}; allowed: ${CATALOG_KEYS.join(', ')}`);
  }
  const field = issue.path.map(String).join('.');
  if (field === '') return new CatalogError(location, 'expected a mapping with at least `name` and `url`');
  const present = typeof raw === 'object' && raw !== null && field in raw && (raw as Record<string, unknown>)[field] !== null;
  return new CatalogError({ ...location, field }, present ? describeIssue(issue) : 'is required');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') return `must be a ${issue.expected}`;
  return issue.message;
}

function describe(entry: { number: number; name: string }): string {
  return `entry ${entry.number} (${JSON.stringify(entry.name)})`;
}

/** An optional key: absent or empty reads as absent; anything else must pass `parse`, or the entry fails naming the key. */
function parseOptional<T extends { ok: true }>(
  raw: string | null | undefined,
  parse: (text: string) => T | { ok: false; reason: string },
  location: CatalogErrorLocation,
): T | null {
  if (raw === undefined || raw === null || raw.trim() === '') return null;
  const result = parse(raw);
  if (!result.ok) throw new CatalogError(location, (result as { reason: string }).reason);
  return result as T;
}

function emptyToNull(value: string | null | undefined): string | null {
  return value === undefined || value === null || value === '' ? null : value;
}

function resolveCaPath(ca: string, source: string): string {
  return isAbsolute(ca) ? ca : resolve(dirname(source), ca);
}
