import { isLocale, LOCALE_COOKIE } from '../../src/i18n/locale';
import { safeLocalPath } from '../../src/i18n/safe-local-path';

const ONE_YEAR_SECONDS = 365 * 24 * 3600;

/** `GET /lang?to=zh-CN&next=/status`: remembers the language and goes back (no JavaScript needed). */
export function GET(request: Request): Response {
  const url = new URL(request.url);
  const to = url.searchParams.get('to');
  const next = safeLocalPath(url.searchParams.get('next'));
  const headers = new Headers({ Location: next, 'Cache-Control': 'no-store' });
  if (isLocale(to)) {
    headers.append('Set-Cookie', `${LOCALE_COOKIE}=${to}; Path=/; Max-Age=${ONE_YEAR_SECONDS}; SameSite=Lax`);
  }
  // A relative Location keeps whatever host and scheme the browser used.
  return new Response(null, { status: 303, headers });
}
