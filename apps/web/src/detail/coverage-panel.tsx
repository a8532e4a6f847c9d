import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { CoverageBadge } from '../components/coverage-badge';
import type { Dictionary } from '../i18n/dictionary-en';

/** Which coverage images the mirror refuses, and why, as the ranking judged them. */
export function CoveragePanel({ mirror, t }: { mirror: MirrorSummaryDto; t: Dictionary }) {
  const { coverage } = mirror;
  return (
    <section className="panel" aria-labelledby="coverage-heading" data-testid="coverage-panel">
      <h2 id="coverage-heading" style={{ marginTop: 0 }}>
        {t.detail.coverageHeading}
      </h2>
      <p>
        <CoverageBadge coverage={{ ...coverage, failing: [] }} t={t} /> <span className="muted">{t.coverageHint[coverage.verdict]}</span>
      </p>
      {coverage.failing.length === 0 ? (
        coverage.verdict === 'unknown' ? null : (
          <p className="muted">{t.detail.coverageNone}</p>
        )
      ) : (
        <table className="data">
          <thead>
            <tr>
              <th scope="col">{t.images.label}</th>
              <th scope="col">{t.detail.colClass}</th>
            </tr>
          </thead>
          <tbody>
            {coverage.failing.map((failing) => (
              <tr key={failing.image}>
                <td className="mono">{failing.image}</td>
                <td>{t.failureClass[failing.failureClass]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
