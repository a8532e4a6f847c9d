/** Only same-site paths: `//evil.example` and `/\evil` would be open redirects. */
export function safeLocalPath(next: string | null): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}
