import type { RecommendedDaemonJsonDto } from '@mirrorwatch/api-types';
import Link from 'next/link';
import type { Dictionary } from '../i18n/dictionary-en';
import type { ApiResult } from '../api/server-fetch';
import { ApiError } from '../components/api-error';

/** The provisioning one-liner and what it returns right now (server-rendered). */
export function RecommendedBox({ t, origin, result }: { t: Dictionary; origin: string; result: ApiResult<RecommendedDaemonJsonDto> }) {
  const mirrors = result.ok ? result.data['registry-mirrors'] : [];
  return (
    <section className="panel" aria-labelledby="recommended-heading">
      <h2 id="recommended-heading" style={{ marginTop: 0 }}>
        {t.recommended.heading}
      </h2>
      <p className="muted">{t.recommended.intro}</p>
      <pre className="code" data-testid="recommended-curl">{`curl -fsSL ${origin}/api/recommended-daemon.json`}</pre>
      {result.ok ? (
        <>
          <pre className="code" data-testid="recommended-json">
            {JSON.stringify(result.data, null, 2)}
          </pre>
          {mirrors.length === 0 ? <p className="notice notice-warn">{t.recommended.none}</p> : null}
        </>
      ) : (
        <ApiError template={t.common.apiUnavailable} error={result.error} />
      )}
      <Link href="/export">{t.recommended.more}</Link>
    </section>
  );
}
