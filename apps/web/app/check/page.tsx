import { CheckForm } from '../../src/check/check-form';
import { requestLocale } from '../../src/i18n/server-locale';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** "Check my mirror": the form posts to /api/checks from the browser; `?id=` shows a kept result. */
export default async function CheckPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ t }, query] = await Promise.all([requestLocale(), searchParams]);
  const id = typeof query['id'] === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(query['id']) ? query['id'] : null;
  return (
    <>
      <h1>{t.checkPage.heading}</h1>
      <p className="muted">{t.checkPage.intro}</p>
      <CheckForm initialId={id} />
    </>
  );
}
