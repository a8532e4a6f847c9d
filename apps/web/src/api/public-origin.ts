import 'server-only';
import { headers } from 'next/headers';

/**
 * The origin users reach this server by, for the `curl` lines they copy: the
 * Host the browser sent (or X-Forwarded-Host/-Proto behind a reverse proxy).
 */
export async function publicOrigin(): Promise<string> {
  const list = await headers();
  const host = firstValue(list.get('x-forwarded-host')) ?? firstValue(list.get('host')) ?? 'localhost:3000';
  const proto = firstValue(list.get('x-forwarded-proto')) === 'https' ? 'https' : 'http';
  return `${proto}://${host}`;
}

function firstValue(header: string | null): string | undefined {
  const value = header?.split(',')[0]?.trim();
  return value === '' ? undefined : value;
}
