import type { ReadinessSummaryDto } from '@mirrorwatch/api-types';
import { fetchApiJson } from '../api/server-fetch';
import type { Dictionary } from '../i18n/dictionary-en';
import { formatMessage } from '../i18n/format-message';

/**
 * Says so while the API backfills its rollups (after an upgrade or a long
 * outage): pages answer meanwhile, but long windows are still filling in.
 * Renders nothing when the API is ready, or when readiness cannot be read
 * (each page reports an unreachable API itself).
 */
export async function CatchUpBanner({ t }: { t: Dictionary }) {
  const readiness = await fetchApiJson<ReadinessSummaryDto>('/api/health/ready');
  if (!readiness.ok || readiness.data.status !== 'catching_up' || !readiness.data.catchUp) return null;
  const { done, total, percent } = readiness.data.catchUp;
  return (
    <p className="banner banner-degraded" role="status" data-catching-up="true">
      {formatMessage(t.common.catchingUp, { done, total, pct: percent })}
    </p>
  );
}
