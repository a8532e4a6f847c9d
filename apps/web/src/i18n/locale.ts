import { en, type Dictionary } from './dictionary-en';
import { zhCN } from './dictionary-zh-cn';

export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];
export const LOCALE_COOKIE = 'mw-lang';

const DICTIONARIES: Record<Locale, Dictionary> = { en, 'zh-CN': zhCN };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function dictionaryFor(locale: Locale): Dictionary {
  return DICTIONARIES[locale];
}

/**
 * The language the user picked (cookie) wins; otherwise the browser's most
 * preferred language (highest q in Accept-Language, RFC 9110 §12.5.4):
 * any Chinese variant (zh, zh-TW, zh-Hans-CN) gets zh-CN, everything else en.
 */
export function negotiateLocale(cookieValue: string | undefined, acceptLanguage: string | null): Locale {
  if (isLocale(cookieValue)) return cookieValue;
  const preferred = parseAcceptLanguage(acceptLanguage ?? '')[0];
  return preferred !== undefined && /^zh(-|$)/i.test(preferred) ? 'zh-CN' : 'en';
}

/** Language tags ordered by descending q, ties keeping header order; q=0 means "not acceptable". */
export function parseAcceptLanguage(header: string): string[] {
  return header
    .split(',')
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      const q = qParam === undefined ? 1 : Number(qParam.slice(2));
      return { tag: tag.trim(), q: Number.isFinite(q) ? q : 0, index };
    })
    .filter((entry) => entry.tag !== '' && entry.tag !== '*' && entry.q > 0)
    .sort((a, b) => b.q - a.q || a.index - b.index)
    .map((entry) => entry.tag);
}
