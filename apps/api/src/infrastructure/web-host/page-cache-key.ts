import type { IncomingMessage } from 'node:http';

/** The request headers a page's HTML depends on, and the only ones its render is sent. */
export type RenderHeaders = Readonly<Record<string, string>>;

/** Where a cacheable request's answer is kept and how to render it. */
export interface PageKey {
  key: string;
  /** The path and the query parameters the page reads: what is rendered, whatever else the visitor's URL carried. */
  url: string;
  headers: RenderHeaders;
  /** The page itself as a first visit asks for it (no query, not a client navigation): pre-rendered, never evicted by other URLs. */
  plain: boolean;
  /** The locale the page is rendered in (the default locale's pages are pre-rendered first). */
  locale: string;
}

export interface PageKeyRules {
  /** Cached page paths, each with the query parameters its page reads; any other parameter is dropped. */
  paths: ReadonlyMap<string, readonly string[]>;
  /** The locale cookie's name: the one cookie a page reads. */
  localeCookie: string;
  /** The dashboard's locales, the default first (apps/web/src/i18n/locale.ts). */
  locales: readonly string[];
}

/** The origin in the `curl` lines the pages show (apps/web/src/api/public-origin.ts). */
const ORIGIN_HEADERS = ['host', 'x-forwarded-host', 'x-forwarded-proto'];

/**
 * Next's client navigation: an `RSC` request (e.g. the status page's refresh
 * every minute) answers the page's server-component payload for the router
 * state it names, not HTML. `_rsc` is its cache-busting parameter, which
 * Next checks against these headers: kept on every page.
 */
const ROUTER_HEADERS = ['rsc', 'next-router-state-tree', 'next-router-prefetch', 'next-router-segment-prefetch', 'next-url'];
const ROUTER_PARAM = '_rsc';

/** Longest URL and header value taken as a cache key: anything longer renders uncached. */
const MAX_KEY_PART_LENGTH = 2_048;

/**
 * The key and render of a request the cache may answer, or null (it then
 * goes to Next as before). `path` is the URL's path without the query.
 *
 * Keyed on what the page reads, not on what the visitor sent: the query
 * parameters its page reads (a flood of made-up query strings maps to the
 * page itself), the locale as the dashboard negotiates it (cookie, else
 * Accept-Language; the render is sent the locale cookie), the origin headers
 * and Next's router headers.
 */
export function pageKeyOf(req: IncomingMessage, path: string, rules: PageKeyRules): PageKey | null {
  const url = req.url;
  if (req.method !== 'GET' || url === undefined || url.length > MAX_KEY_PART_LENGTH) return null;
  const readParams = rules.paths.get(path);
  if (readParams === undefined) return null;
  // Authorization: not something a page reads, but an admin's request is not worth the doubt. Server actions are POSTs.
  if (req.headers.authorization !== undefined || req.headers['next-action'] !== undefined) return null;
  const origin = pickHeaders(req, ORIGIN_HEADERS);
  const router = pickHeaders(req, ROUTER_HEADERS);
  if (origin === null || router === null) return null;
  const cookie = cookieValue(req.headers.cookie, rules.localeCookie) ?? undefined;
  const acceptLanguage = req.headers['accept-language'];
  const locale = negotiateLocale(cookie, typeof acceptLanguage === 'string' ? acceptLanguage : '', rules.locales);
  const query = url.indexOf('?') === -1 ? '' : url.slice(url.indexOf('?') + 1);
  return pageKey(path, keptQuery(query, readParams), origin, locale, router, rules.localeCookie);
}

/** The plain page (no query, no client navigation) for an origin and locale: what a first visit asks for. */
export function plainPageKey(path: string, origin: RenderHeaders, locale: string, localeCookie: string): PageKey {
  return pageKey(path, '', origin, locale, {}, localeCookie);
}

function pageKey(path: string, query: string, origin: RenderHeaders, locale: string, router: RenderHeaders, localeCookie: string): PageKey {
  const url = query === '' ? path : `${path}?${query}`;
  const headers = { ...origin, ...router, cookie: `${localeCookie}=${locale}` };
  return { key: JSON.stringify([url, headers]), url, headers, plain: query === '' && Object.keys(router).length === 0, locale };
}

function pickHeaders(req: IncomingMessage, names: readonly string[]): Record<string, string> | null {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = req.headers[name];
    if (typeof value !== 'string') continue;
    if (value.length > MAX_KEY_PART_LENGTH) return null;
    picked[name] = value;
  }
  return picked;
}

/** The parameters a page reads, in the visitor's order; every other one is dropped. */
function keptQuery(query: string, readParams: readonly string[]): string {
  if (query === '') return '';
  const kept = new URLSearchParams();
  for (const [name, value] of new URLSearchParams(query)) {
    if (name === ROUTER_PARAM || readParams.includes(name)) kept.append(name, value);
  }
  return kept.toString();
}

/**
 * The dashboard's rule (apps/web/src/i18n/locale.ts negotiateLocale): the
 * cookie if it names a locale, else the most preferred Accept-Language tag
 * (highest q, ties in header order): any Chinese variant gets the Chinese
 * locale, everything else the default. Were the two ever to differ, a page
 * would still be consistent with its key: the render is sent the cookie.
 */
export function negotiateLocale(cookie: string | undefined, acceptLanguage: string, locales: readonly string[]): string {
  const fallback = locales[0] ?? 'en';
  if (cookie !== undefined && locales.includes(cookie)) return cookie;
  let preferred: { tag: string; q: number } | null = null;
  for (const part of acceptLanguage.split(',')) {
    const [tag = '', ...params] = part.trim().split(';');
    const qParam = params.map((param) => param.trim()).find((param) => param.startsWith('q='));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (tag.trim() === '' || tag.trim() === '*' || !(q > 0)) continue;
    if (preferred === null || q > preferred.q) preferred = { tag: tag.trim(), q };
  }
  const chinese = locales.find((locale) => /^zh(-|$)/i.test(locale));
  return preferred !== null && chinese !== undefined && /^zh(-|$)/i.test(preferred.tag) ? chinese : fallback;
}

/** One cookie's value from a Cookie header, or null. */
export function cookieValue(header: string | undefined, name: string): string | null {
  if (header === undefined) return null;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator > 0 && part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return null;
}
