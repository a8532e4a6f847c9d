/**
 * Orders two strings by their UTF-16 code units, as `<` does: the same order
 * on every machine, whatever its locale, for ids, names and keys whose order
 * must be stable (published lists, ETags, tests). `localeCompare` is none of
 * that: it follows the process's locale, and its first call loads ICU's
 * collation tables, several MiB of node's binary kept resident for the life
 * of the process (issue 10).
 */
export function byCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
