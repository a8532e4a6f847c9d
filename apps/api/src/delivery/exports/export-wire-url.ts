/** The query parameters the export routes read, and the plain spelling of each that the wire path answers. */
const PLAIN_VALUE: Readonly<Record<string, RegExp>> = {
  // No leading zero: `?count=03` stays Nest's, so a test can compare the two paths on one document.
  count: /^[1-9]\d{0,5}$/,
  // The admin API's vantage id rule (VANTAGE_ID_PATTERN).
  vantage: /^[a-z0-9][a-z0-9-]{0,62}$/,
  // A registry host, optionally with a port; parseRegistry decides whether it is a known one.
  registry: /^[a-z0-9][a-z0-9.-]{0,252}(?::\d{1,5})?$/,
};

export interface WireUrl {
  path: string;
  params: Readonly<Record<string, string>>;
}

/**
 * A URL the export wire path may answer: a path, then nothing or
 * `name=value` pairs among `allowed`, each once, in the plain spelling above
 * (no percent-encoding, no `+`, no brackets). Anything else is null and goes
 * through Express's query parser and Nest, which read it their way (an array
 * for a repeated parameter, a 400 naming it), so what the wire path answers
 * never depends on how a query is parsed.
 */
export function plainExportUrl(url: string, allowedFor: (path: string) => readonly string[] | undefined): WireUrl | null {
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const allowed = allowedFor(path);
  if (allowed === undefined) return null;
  if (mark < 0) return { path, params: {} };
  const params: Record<string, string> = {};
  for (const pair of url.slice(mark + 1).split('&')) {
    const equals = pair.indexOf('=');
    const name = pair.slice(0, equals);
    const value = pair.slice(equals + 1);
    if (equals < 0 || !allowed.includes(name) || name in params || !PLAIN_VALUE[name]?.test(value)) return null;
    params[name] = value;
  }
  return { path, params };
}
