import Link from 'next/link';
import { requestLocale } from '../src/i18n/server-locale';

export default async function NotFound() {
  const { t } = await requestLocale();
  return (
    <>
      <p className="notice notice-warn">{t.detail.notFound}</p>
      <Link href="/">{t.detail.back}</Link>
    </>
  );
}
