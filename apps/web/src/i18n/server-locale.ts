import { cookies, headers } from 'next/headers';
import { dictionaryFor, LOCALE_COOKIE, negotiateLocale, type Locale } from './locale';
import type { Dictionary } from './dictionary-en';

/** Locale of the current request (server components only). */
export async function requestLocale(): Promise<{ locale: Locale; t: Dictionary }> {
  const [cookieStore, headerList] = await Promise.all([cookies(), headers()]);
  const locale = negotiateLocale(cookieStore.get(LOCALE_COOKIE)?.value, headerList.get('accept-language'));
  return { locale, t: dictionaryFor(locale) };
}
