import type { Metadata, Viewport } from 'next';
import Link from 'next/link';
import { Suspense, type ReactNode } from 'react';
import { CatchUpBanner } from '../src/components/catch-up-banner';
import { LangSwitch } from '../src/components/lang-switch';
import { I18nProvider } from '../src/i18n/i18n-context';
import { requestLocale } from '../src/i18n/server-locale';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const { t } = await requestLocale();
  return { title: t.meta.title, description: t.meta.description };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  const { locale, t } = await requestLocale();
  return (
    <html lang={locale}>
      <body>
        <header className="site-header">
          <Link href="/" className="brand">
            mirrorwatch
          </Link>
          <nav className="site-nav" aria-label="main">
            <Link href="/">{t.nav.ranking}</Link>
            <Link href="/status">{t.nav.status}</Link>
            <Link href="/vantages">{t.nav.vantages}</Link>
            <Link href="/images">{t.nav.images}</Link>
            <Link href="/export">{t.nav.export}</Link>
            <Link href="/check">{t.nav.check}</Link>
          </nav>
          <Suspense fallback={null}>
            <LangSwitch current={locale} label={t.nav.language} />
          </Suspense>
        </header>
        <I18nProvider locale={locale} t={t}>
          <main className="page">
            <Suspense fallback={null}>
              <CatchUpBanner t={t} />
            </Suspense>
            {children}
          </main>
        </I18nProvider>
      </body>
    </html>
  );
}
