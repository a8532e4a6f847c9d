import 'server-only';

/**
 * Where server-side rendering reaches the REST API. The API process hosts
 * Next on the same port and sets MIRRORWATCH_INTERNAL_ORIGIN (e.g.
 * http://127.0.0.1:3000) before starting it; loopback avoids a round trip
 * through whatever proxy sits in front of the public port.
 */
export function internalApiOrigin(): string {
  const configured = process.env['MIRRORWATCH_INTERNAL_ORIGIN'];
  if (configured) return configured.replace(/\/+$/, '');
  return `http://127.0.0.1:${process.env['PORT'] ?? '3000'}`;
}
