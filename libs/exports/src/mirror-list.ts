import { normalizeMirrorUrl } from '@mirrorwatch/catalog';
import { InvalidMirrorError } from './export-errors.js';

/**
 * Validates every mirror with dockerd's rules (catalog's `normalizeMirrorUrl`),
 * returns them normalized, without duplicates, in the given order (the order
 * in which clients try them). Throws `InvalidMirrorError` on the first bad
 * one: since Docker 28 a single bad `registry-mirrors` entry keeps dockerd
 * from starting, so an export never silently drops or passes one through.
 */
export function prepareMirrors(mirrors: readonly string[]): string[] {
  const seen = new Set<string>();
  mirrors.forEach((input, index) => {
    const result = normalizeMirrorUrl(input);
    if (!result.ok) throw new InvalidMirrorError(index, input, result.reason);
    seen.add(result.url);
  });
  return [...seen];
}

/** `https://host:port` -> `host:port`, for formats that want a location, not a URL. */
export function hostOf(url: string): string {
  return url.replace(/^https?:\/\//, '');
}
