/** A host no request can carry: only used to resolve `next` the way a browser would. */
const PROBE_ORIGIN = 'http://mirrorwatch.invalid';

/**
 * Where `/lang?next=` may send the browser back to: a path on this site only.
 * The value is resolved with the WHATWG URL parser, the same algorithm the
 * browser applies to the Location header (it drops tabs and newlines, reads
 * `\` as `/`, collapses `/./`), and only a same-origin result survives, re-
 * serialized from its parts. So `/\t/evil.example`, `/\evil`, `/%2F/evil`
 * decoded elsewhere, or `/.//evil` can never come out as `//evil`.
 */
export function safeLocalPath(next: string | null): string {
  if (!next || !next.startsWith('/')) return '/';
  // Anything a browser would strip or reinterpret is refused outright rather than cleaned.
  if (/[\u0000-\u001f\u007f\\]/.test(next)) return '/';
  let url: URL;
  try {
    url = new URL(next, PROBE_ORIGIN);
  } catch {
    return '/';
  }
  if (url.origin !== PROBE_ORIGIN) return '/';
  const path = `${url.pathname}${url.search}${url.hash}`;
  // A path that starts with two slashes is a network-path reference in a Location header.
  if (!path.startsWith('/') || path.startsWith('//')) return '/';
  return path;
}
