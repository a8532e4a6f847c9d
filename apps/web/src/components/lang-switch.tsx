'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { LOCALES, type Locale } from '../i18n/locale';

const LOCALE_NAMES: Record<Locale, string> = { en: 'English', 'zh-CN': '中文' };

/** Plain links to /lang, which sets the cookie and redirects back: works without JavaScript. */
export function LangSwitch({ current, label }: { current: Locale; label: string }) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const back = `${pathname}${search ? `?${search}` : ''}`;
  return (
    <nav className="lang-switch" aria-label={label}>
      {LOCALES.map((locale) =>
        locale === current ? (
          <span key={locale} aria-current="true" lang={locale}>
            {LOCALE_NAMES[locale]}
          </span>
        ) : (
          <a key={locale} href={`/lang?to=${locale}&next=${encodeURIComponent(back)}`} lang={locale} hrefLang={locale}>
            {LOCALE_NAMES[locale]}
          </a>
        ),
      )}
    </nav>
  );
}
