import type { ApiErrorDto, ImageLookupDto } from '@mirrorwatch/api-types';
import { formatImageReference, parseImageReference } from '@mirrorwatch/domain';
import { internalApiOrigin } from '../../src/api/api-origin';
import { formatMs } from '../../src/format/numbers';
import { formatAge } from '../../src/format/time';
import { formatMessage } from '../../src/i18n/format-message';
import { requestLocale } from '../../src/i18n/server-locale';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The API answers within seconds (per-mirror deadline); the page waits a little longer than that. */
const LOOKUP_TIMEOUT_MS = 20_000;

type Lookup = { ok: true; data: ImageLookupDto } | { ok: false; invalid: string | null; error: string };

async function lookUp(image: string): Promise<Lookup> {
  // Checked here too, so only a well-formed reference (lowercase names, a tag) ever reaches the API's URL.
  const parsed = parseImageReference(image);
  if (!parsed.ok) return { ok: false, invalid: parsed.reason, error: 'invalid' };
  try {
    const path = formatImageReference(parsed.reference);
    const response = await fetch(`${internalApiOrigin()}/api/images/${path}`, {
      cache: 'no-store',
      signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS),
    });
    if (response.status === 400) {
      const body = (await response.json()) as ApiErrorDto;
      return { ok: false, invalid: body.message.replace(/^image: /, ''), error: `HTTP 400` };
    }
    if (!response.ok) return { ok: false, invalid: null, error: `HTTP ${response.status}` };
    return { ok: true, data: (await response.json()) as ImageLookupDto };
  } catch (error) {
    return { ok: false, invalid: null, error: error instanceof Error ? error.message : String(error) };
  }
}

/** "Which mirror has my image?": a plain GET form, so it works without JavaScript. */
export default async function ImagesPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ t }, query] = await Promise.all([requestLocale(), searchParams]);
  const raw = query['image'];
  const image = (Array.isArray(raw) ? raw[0] : raw)?.trim() ?? '';
  const result = image === '' ? null : await lookUp(image);
  const now = Date.now();
  return (
    <>
      <h1>{t.images.heading}</h1>
      <p className="muted">{t.images.intro}</p>
      <form className="panel form-grid" method="get" action="/images">
        <label>
          {t.images.label}
          <input type="text" name="image" defaultValue={image} placeholder={t.images.placeholder} required maxLength={300} />
        </label>
        <button type="submit" className="btn">
          {t.images.submit}
        </button>
      </form>
      {result === null ? null : result.ok ? (
        <section className="panel" data-testid="image-lookup">
          <p>
            {formatMessage(t.images.checkedAt, {
              age: formatAge(result.data.checkedAt, now, t.age),
              served: result.data.mirrors.filter((m) => m.served).length,
              total: result.data.mirrors.length,
              image: result.data.image,
            })}
          </p>
          <div className="table-wrap">
            <table className="data">
              <thead>
                <tr>
                  <th scope="col">{t.images.colMirror}</th>
                  <th scope="col">{t.images.colServed}</th>
                  <th scope="col">{t.images.colDigest}</th>
                  <th scope="col" className="num">
                    {t.images.colTime}
                  </th>
                </tr>
              </thead>
              <tbody>
                {result.data.mirrors.map((mirror) => (
                  <tr key={mirror.id} data-served={String(mirror.served)}>
                    <td>
                      {mirror.name}
                      <div className="mirror-url">{mirror.url}</div>
                    </td>
                    <td>
                      {mirror.served
                        ? t.images.served
                        : mirror.skipped === 'budget'
                          ? t.images.skipped
                          : `${t.images.notServed}: ${mirror.failureClass ? t.failureClass[mirror.failureClass] : ''}`}
                    </td>
                    <td className="mono">{mirror.digest ?? t.common.noData}</td>
                    <td className="num">{formatMs(mirror.manifestMs)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : result.invalid !== null ? (
        <p className="notice notice-error">{formatMessage(t.images.invalid, { reason: result.invalid })}</p>
      ) : (
        <p className="notice notice-error">{formatMessage(t.images.failed, { error: result.error })}</p>
      )}
    </>
  );
}
