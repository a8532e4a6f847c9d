'use client';
// Hand-written rather than next-intl on purpose: next-intl's client runtime adds ~3.4 KB gzip to
// every page that formats on the client, for ~0.5 KB of glue removed (docs/benchmarks/next-intl.md).
import { createContext, useContext, type ReactNode } from 'react';
import type { Dictionary } from './dictionary-en';
import type { Locale } from './locale';

interface I18nValue {
  locale: Locale;
  t: Dictionary;
}

const I18nContext = createContext<I18nValue | null>(null);

/** Hands the request's dictionary (chosen on the server) to client components. */
export function I18nProvider({ locale, t, children }: I18nValue & { children: ReactNode }) {
  return <I18nContext.Provider value={{ locale, t }}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nValue {
  const value = useContext(I18nContext);
  if (value === null) throw new Error('useI18n outside I18nProvider');
  return value;
}
