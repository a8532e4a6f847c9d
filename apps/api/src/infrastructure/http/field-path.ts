/** How a 400 names a field inside a JSON body. */
/** `['results', 3, 'timings', 'dnsMs']` -> `results[3].timings.dnsMs`. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, key) => (typeof key === 'number' ? `${text}[${key}]` : text === '' ? String(key) : `${text}.${String(key)}`),
    '',
  );
}
