import { fetchApiJson } from '../../src/api/server-fetch';
import { ApiError } from '../../src/components/api-error';
import { AutoRefresh } from '../../src/components/auto-refresh';
import { StatusBadge } from '../../src/components/status-badge';
import { formatAge, formatUtc } from '../../src/format/time';
import type { Dictionary } from '../../src/i18n/dictionary-en';
import { formatMessage } from '../../src/i18n/format-message';
import { requestLocale } from '../../src/i18n/server-locale';
import { IncidentList } from '../../src/status/incident-list';
import type { OverallStatus, StatusSummaryDto } from '@mirrorwatch/api-types';
import { OVERALL_AS_STATUS } from '../../src/status/overall-status';
import { statusRowData } from '../../src/status/status-row-data';
import { StatusRows } from '../../src/status/status-rows';

/** Past incidents drawn on the page; each mirror's own page and /api/incidents have the rest. */
const PAST_INCIDENTS_SHOWN = 10;

/**
 * The public status page. Everything is rendered on the server and refreshed
 * with router.refresh(): no chart library, so its first-load JavaScript is
 * little more than the Next/React runtime.
 */
export default async function StatusPage() {
  const [{ t }, summary] = await Promise.all([requestLocale(), fetchApiJson<StatusSummaryDto>('/api/status')]);
  const now = Date.now();
  return (
    <>
      <AutoRefresh seconds={60} />
      <h1>{t.statusPage.heading}</h1>
      {summary.ok ? (
        <StatusBody summary={summary.data} t={t} now={now} />
      ) : (
        <ApiError template={t.common.apiUnavailable} error={summary.error} />
      )}
    </>
  );
}

function StatusBody({ summary, t, now }: { summary: StatusSummaryDto; t: Dictionary; now: number }) {
  const overall = summary.overall;
  const bannerStatus = OVERALL_AS_STATUS[overall];
  const bannerText: Record<OverallStatus, string> = {
    operational: t.statusPage.allUp,
    partial: t.statusPage.partial,
    major_outage: t.statusPage.majorOutage,
    no_data: t.statusPage.noData,
  };
  return (
    <>
      <div className={`banner banner-${bannerStatus}`} role="status" data-overall={overall}>
        <StatusBadge status={bannerStatus} label={t.status[bannerStatus]} />
        <span>{bannerText[overall]}</span>
      </div>
      <p className="muted">
        <time dateTime={summary.lastCheckedAt ?? undefined} title={formatUtc(summary.lastCheckedAt, true)}>
          {formatMessage(t.statusPage.lastChecked, { age: formatAge(summary.lastCheckedAt, now, t.age) })}
        </time>
      </p>

      <section className="panel" aria-labelledby="ongoing-heading">
        <h2 id="ongoing-heading" style={{ marginTop: 0 }}>
          {t.statusPage.ongoing}
        </h2>
        <IncidentList incidents={summary.ongoingIncidents} empty={t.statusPage.noOngoing} t={t} now={now} />
      </section>

      <section className="panel">
        <div className="cells-legend">
          <span>{t.statusPage.daysAgo}</span>
          <span>{t.statusPage.today}</span>
        </div>
        {/* A client component fed compact runs: its markup travels once, in the HTML (see StatusRowData). */}
        <StatusRows rows={summary.mirrors.map(statusRowData)} now={now} />
      </section>

      <section className="panel" aria-labelledby="past-heading">
        <h2 id="past-heading" style={{ marginTop: 0 }}>
          {t.statusPage.past}
        </h2>
        <IncidentList incidents={summary.pastIncidents.slice(0, PAST_INCIDENTS_SHOWN)} empty={t.statusPage.noPast} t={t} now={now} />
        {summary.pastIncidents.length > PAST_INCIDENTS_SHOWN ? (
          <p className="muted">{formatMessage(t.statusPage.moreIncidents, { n: summary.pastIncidents.length - PAST_INCIDENTS_SHOWN })}</p>
        ) : null}
      </section>
      <p className="muted">{t.common.timesInUtc}</p>
    </>
  );
}
