import {
  HISTORY_WINDOWS,
  isHistoryWindow,
  type HistoryWindow,
  type MirrorHistoryDto,
  type MirrorSummaryDto,
  type ProbeDto,
} from '@mirrorwatch/api-types';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { fetchApiJson } from '../../../src/api/server-fetch';
import { ApiError } from '../../../src/components/api-error';
import { AutoRefresh } from '../../../src/components/auto-refresh';
import { FreshnessBadge } from '../../../src/components/freshness-badge';
import { StatusBadge } from '../../../src/components/status-badge';
import { UptimeCells } from '../../../src/components/uptime-cells';
import { gradeUptime } from '../../../src/format/uptime-grade';
import { MirrorCharts } from '../../../src/detail/mirror-charts';
import { FreshnessPanel } from '../../../src/detail/freshness-panel';
import { CoveragePanel } from '../../../src/detail/coverage-panel';
import { RecentFailures } from '../../../src/detail/recent-failures';
import { formatMs, formatPercent, formatThroughput } from '../../../src/format/numbers';
import { formatAge, formatUtc } from '../../../src/format/time';
import { formatMessage } from '../../../src/i18n/format-message';
import { requestLocale } from '../../../src/i18n/server-locale';
import { FailureSummary } from '../../../src/ranking/failure-summary';

type Params = Promise<{ id: string }>;
type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const DEFAULT_WINDOW: HistoryWindow = '24h';
const RECENT_FAILURES = 20;

export default async function MirrorPage({ params, searchParams }: { params: Params; searchParams: SearchParams }) {
  const [{ id }, query, { t }] = await Promise.all([params, searchParams, requestLocale()]);
  const rawWindow = query['window'];
  const window = isHistoryWindow(rawWindow) ? rawWindow : DEFAULT_WINDOW;
  const base = `/api/mirrors/${encodeURIComponent(id)}`;
  const [summary, history, failures] = await Promise.all([
    fetchApiJson<MirrorSummaryDto>(base),
    fetchApiJson<MirrorHistoryDto>(`${base}/history?window=${window}`),
    fetchApiJson<ProbeDto[]>(`${base}/probes?limit=${RECENT_FAILURES}&failuresOnly=true`),
  ]);
  const now = Date.now();

  if (!summary.ok) {
    if (summary.status === 404) notFound();
    return (
      <>
        <Link href="/">{t.detail.back}</Link>
        <ApiError template={t.common.apiUnavailable} error={summary.error} />
      </>
    );
  }
  const mirror = summary.data;

  return (
    <>
      <AutoRefresh seconds={30} />
      <Link href="/">{t.detail.back}</Link>
      <h1>
        {mirror.name} <StatusBadge status={mirror.status} label={t.status[mirror.status]} />
      </h1>
      <p className="muted">
        {mirror.provider ? `${mirror.provider} · ` : ''}
        {mirror.visibility === 'public' ? <span className="mono">{mirror.url}</span> : <span className="tag">{t.common.private}</span>}
        {' · '}
        {t.ranking.colChecked}: <time dateTime={mirror.lastProbeAt ?? undefined}>{formatAge(mirror.lastProbeAt, now, t.age)}</time>
      </p>
      <FailureSummary mirror={mirror} t={t} />

      <div className="stats">
        <Stat label={t.ranking.colP50} value={formatMs(mirror.latencyMs)} />
        <Stat label={t.ranking.colP95} value={formatMs(mirror.latencyP95Ms)} />
        <Stat label={t.ranking.colThroughput} value={formatThroughput(mirror.throughputBytesPerSec)} />
        <Stat
          label={t.ranking.colSuccess}
          value={formatPercent(mirror.successRate24h)}
          hint={formatMessage(t.detail.probes24h, { n: mirror.probes24h })}
        />
        <div className="stat" data-testid="stat-freshness">
          <div className="stat-label">{t.detail.freshness}</div>
          <div className="stat-value">
            <FreshnessBadge freshness={mirror.freshness} t={t} />
          </div>
          <div className="stat-label">{t.freshnessHint[mirror.freshness]}</div>
        </div>
      </div>

      <nav className="toolbar" aria-label={t.detail.window}>
        <span>{t.detail.window}</span>
        <div className="filter-group">
          {HISTORY_WINDOWS.map((w) => (
            <Link key={w} className="chip" href={`?window=${w}`} aria-current={w === window ? 'true' : undefined} scroll={false}>
              {w}
            </Link>
          ))}
        </div>
      </nav>

      {history.ok ? (
        <>
          <section className="panel" aria-labelledby="uptime-heading">
            <h2 id="uptime-heading" style={{ marginTop: 0 }}>
              {t.detail.uptimeHeading}
            </h2>
            <UptimeCells
              label={t.detail.uptimeHeading}
              cells={history.data.buckets.map((bucket) => {
                const time = formatUtc(bucket.start);
                return {
                  key: bucket.start,
                  grade: gradeUptime(bucket.successes, bucket.probes),
                  tip:
                    bucket.probes === 0
                      ? formatMessage(t.detail.bucketEmpty, { time })
                      : formatMessage(t.detail.bucketTip, { time, successes: bucket.successes, probes: bucket.probes }),
                };
              })}
            />
            <div className="cells-legend">
              <span>{formatUtc(history.data.from)}</span>
              <span>{formatUtc(history.data.to)}</span>
            </div>
          </section>
          <noscript>
            <p className="muted">{t.detail.chartsNeedJs}</p>
          </noscript>
          <MirrorCharts buckets={history.data.buckets} window={window} />
        </>
      ) : (
        <ApiError template={t.common.apiUnavailable} error={history.error} />
      )}

      <section className="panel" aria-labelledby="failures-heading">
        <h2 id="failures-heading" style={{ marginTop: 0 }}>
          {t.detail.failuresHeading}
        </h2>
        {failures.ok ? (
          <RecentFailures probes={failures.data} t={t} />
        ) : (
          <ApiError template={t.common.apiUnavailable} error={failures.error} />
        )}
      </section>

      <CoveragePanel mirror={mirror} t={t} />
      <FreshnessPanel mirror={mirror} t={t} now={now} />
      <p className="muted">{t.common.timesInUtc}</p>
    </>
  );
}

function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">{value}</div>
      {hint ? <div className="stat-label">{hint}</div> : null}
    </div>
  );
}
