import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import type { Dictionary } from '../i18n/dictionary-en';

type Freshness = MirrorSummaryDto['freshness'];

/** Shapes differ as well as colours (as in StatusBadge), so the state reads in grayscale. */
const FRESHNESS_ICON: Record<Freshness, string> = { fresh: '✓', lagging: '~', stale: '!', unknown: '?' };
/** Reuses the status colours: lagging is a warning, stale makes a mirror ineligible. */
const FRESHNESS_TONE: Record<Freshness, string> = { fresh: 'up', lagging: 'degraded', stale: 'down', unknown: 'unknown' };

export function FreshnessBadge({ freshness, t }: { freshness: Freshness; t: Dictionary }) {
  return (
    <span className={`badge badge-${FRESHNESS_TONE[freshness]}`} data-freshness={freshness} title={t.freshnessHint[freshness]}>
      <span className="badge-icon" aria-hidden="true">
        {FRESHNESS_ICON[freshness]}
      </span>
      {t.freshness[freshness]}
    </span>
  );
}
