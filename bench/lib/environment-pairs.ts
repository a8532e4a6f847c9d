/**
 * A bench's `--env`-style option: NAME=value pairs, space-separated, for a
 * variant's environment (a glibc or product setting measured before it goes
 * into the start script). Anything else is refused by name.
 */
export function environmentPairs(text: string, option = '--env'): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const pair of text.split(/\s+/).filter(Boolean)) {
    const match = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s.exec(pair);
    if (!match) throw new Error(`${option}: "${pair}" is not NAME=value`);
    pairs[match[1] as string] = match[2] as string;
  }
  return pairs;
}
