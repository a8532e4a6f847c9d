import type { CoverageOverviewDto } from '@mirrorwatch/api-types';
import { formatMessage } from '../i18n/format-message';
import type { Dictionary } from '../i18n/dictionary-en';

/**
 * Tells the operator that a coverage image is what is broken (nobody can show
 * it exists): a configuration problem, held against no mirror.
 */
export function BrokenImagesBanner({ overview, t }: { overview: CoverageOverviewDto | null; t: Dictionary }) {
  if (!overview || overview.brokenImages.length === 0) return null;
  return (
    <p className="notice notice-warn" role="status" data-testid="broken-images">
      {formatMessage(t.coverageBanner, { images: overview.brokenImages.join(', ') })}
    </p>
  );
}
