/** How a 400 names a field inside a JSON body. */
/** `['results', 3, 'timings', 'dnsMs']` -> `results[3].timings.dnsMs`; an empty key is shown as `""`, so the name is never empty. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = key === '' ? '""' : String(key);
    return text === '' ? name : `${text}.${name}`;
  }, '');
}
