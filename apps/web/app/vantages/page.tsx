import type { VantageMatrixDto } from '@mirrorwatch/api-types';
import { fetchApiJson } from '../../src/api/server-fetch';
import { ApiError } from '../../src/components/api-error';
import { AutoRefresh } from '../../src/components/auto-refresh';
import { StatusBadge } from '../../src/components/status-badge';
import { formatAge, formatUtc } from '../../src/format/time';
import type { Dictionary } from '../../src/i18n/dictionary-en';
import { formatMessage } from '../../src/i18n/format-message';
import { requestLocale } from '../../src/i18n/server-locale';

/** Mirrors x vantages: what each network sees, rendered on the server (no client JavaScript beyond the refresh). */
export default async function VantagesPage() {
  const [{ t }, matrix] = await Promise.all([requestLocale(), fetchApiJson<VantageMatrixDto>('/api/vantages/matrix')]);
  return (
    <>
      <AutoRefresh seconds={30} />
      <h1>{t.vantagesPage.heading}</h1>
      <p className="muted">{t.vantagesPage.intro}</p>
      {matrix.ok ? (
        <Matrix matrix={matrix.data} t={t} now={Date.now()} />
      ) : (
        <ApiError template={t.common.apiUnavailable} error={matrix.error} />
      )}
    </>
  );
}

function Matrix({ matrix, t, now }: { matrix: VantageMatrixDto; t: Dictionary; now: number }) {
  const example = matrix.vantages.find((vantage) => vantage.id !== 'local')?.id;
  return (
    <>
      {matrix.vantages.length <= 1 ? <p className="muted">{t.vantagesPage.onlyLocal}</p> : null}
      <p className="muted" data-quorum={matrix.downQuorum}>
        {matrix.downQuorum === 1 ? t.vantagesPage.quorumOne : formatMessage(t.vantagesPage.quorumMany, { n: matrix.downQuorum })}
      </p>
      <div className="table-wrap">
        <table className="data vantage-matrix">
          <thead>
            <tr>
              <th scope="col">{t.vantagesPage.mirror}</th>
              {matrix.vantages.map((vantage) => (
                <th scope="col" key={vantage.id} title={vantage.name}>
                  {vantage.id}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.mirrors.map((mirror) => (
              <tr key={mirror.id} data-mirror={mirror.id}>
                <th scope="row">
                  <a href={`/mirrors/${encodeURIComponent(mirror.id)}`}>{mirror.name}</a>
                </th>
                {mirror.cells.map((cell) => (
                  <td key={cell.vantage} data-vantage={cell.vantage} data-status={cell.status} title={formatUtc(cell.lastProbeAt, true)}>
                    <StatusBadge status={cell.status} label={t.status[cell.status]} />
                    <div className="muted small">{formatAge(cell.lastProbeAt, now, t.age)}</div>
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {example ? (
        <p className="muted">
          {formatMessage(t.vantagesPage.exportHint, { curl: `curl -fsS "<server>/api/recommended-daemon.json?vantage=${example}"` })}
        </p>
      ) : null}
    </>
  );
}
