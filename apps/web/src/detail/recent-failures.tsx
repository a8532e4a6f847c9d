import type { ProbeDto } from '@mirrorwatch/api-types';
import { formatUtc } from '../format/time';
import type { Dictionary } from '../i18n/dictionary-en';

export function RecentFailures({ probes, t }: { probes: ProbeDto[]; t: Dictionary }) {
  if (probes.length === 0) return <p className="muted">{t.detail.noFailures}</p>;
  return (
    <div className="table-wrap">
      <table className="data responsive">
        <thead>
          <tr>
            <th scope="col">{t.detail.colTime}</th>
            <th scope="col">{t.detail.colClass}</th>
            <th scope="col">{t.detail.colDetail}</th>
          </tr>
        </thead>
        <tbody>
          {probes.map((probe) => (
            <tr key={probe.id}>
              <td data-label={t.detail.colTime}>
                <time dateTime={probe.startedAt}>{formatUtc(probe.startedAt, true)}</time>
              </td>
              <td data-label={t.detail.colClass}>
                {probe.failureClass ? (
                  <strong data-failure-class={probe.failureClass}>{t.failureClass[probe.failureClass]}</strong>
                ) : (
                  t.common.noData
                )}
                {probe.failedPhase ? <span className="muted"> ({probe.failedPhase})</span> : null}
                {probe.httpStatus !== null ? <span className="muted"> HTTP {probe.httpStatus}</span> : null}
              </td>
              <td data-label={t.detail.colDetail} className="mono">
                {probe.detail ?? t.common.noData}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
