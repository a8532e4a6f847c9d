import type { IncidentDto } from '@mirrorwatch/api-types';
import { formatDuration, formatUtc } from '../format/time';
import type { Dictionary } from '../i18n/dictionary-en';

/** Incidents with start, end and cause, the Statuspage habit; server-rendered. */
export function IncidentList({ incidents, empty, t, now }: { incidents: IncidentDto[]; empty: string; t: Dictionary; now: number }) {
  if (incidents.length === 0) return <p className="muted">{empty}</p>;
  return (
    <ul style={{ listStyle: 'none', padding: 0, margin: 0 }}>
      {incidents.map((incident) => (
        <li
          key={incident.id}
          className={incident.severity === 'down' ? 'incident' : 'incident incident-degraded'}
          data-incident-id={incident.id}
        >
          <strong>{incident.mirrorName}</strong> · {t.status[incident.severity]}
          <dl>
            <dt>{t.statusPage.started}</dt>
            <dd>
              <time dateTime={incident.startedAt}>{formatUtc(incident.startedAt)}</time>
            </dd>
            <dt>{t.statusPage.ended}</dt>
            <dd>{incident.endedAt ? <time dateTime={incident.endedAt}>{formatUtc(incident.endedAt)}</time> : t.statusPage.ongoingLabel}</dd>
            <dt>{t.statusPage.duration}</dt>
            <dd>{formatDuration(incident.startedAt, incident.endedAt, now)}</dd>
            <dt>{t.statusPage.cause}</dt>
            <dd>
              {incident.failureClass ? t.failureClass[incident.failureClass] : t.common.noData}
              {incident.cause ? <span className="mono">: {incident.cause}</span> : null}
            </dd>
          </dl>
        </li>
      ))}
    </ul>
  );
}
