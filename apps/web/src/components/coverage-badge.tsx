import type { MirrorCoverageDto } from '@mirrorwatch/api-types';
import { formatMessage } from '../i18n/format-message';
import type { Dictionary } from '../i18n/dictionary-en';

/** Icons as well as colours, so the verdict reads in grayscale (as StatusBadge and FreshnessBadge). */
const COVERAGE_ICON: Record<MirrorCoverageDto['verdict'], string> = { all: '✓', library_only: 'L', partial: '~', unknown: '?' };
const COVERAGE_TONE: Record<MirrorCoverageDto['verdict'], string> = {
  all: 'up',
  library_only: 'degraded',
  partial: 'degraded',
  unknown: 'unknown',
};

/** "All tested images" / "Library only" / which images fail. */
export function CoverageBadge({ coverage, t }: { coverage: MirrorCoverageDto; t: Dictionary }) {
  const failing = coverage.failing.map((f) => f.image).join(', ');
  return (
    <span className="coverage" data-coverage={coverage.verdict}>
      <span className={`badge badge-${COVERAGE_TONE[coverage.verdict]}`} title={t.coverageHint[coverage.verdict]}>
        <span className="badge-icon" aria-hidden="true">
          {COVERAGE_ICON[coverage.verdict]}
        </span>
        {t.coverage[coverage.verdict]}
      </span>
      {coverage.failing.length > 0 ? <div className="muted">{formatMessage(t.coverageFailing, { images: failing })}</div> : null}
    </span>
  );
}
