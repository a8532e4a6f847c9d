import type { OverallStatus } from '@mirrorwatch/api-types';
import type { MirrorStatus } from '@mirrorwatch/domain';

/** Banner styling reuses the per-mirror status palette and icon shapes; the state itself comes from `/api/status`. */
export const OVERALL_AS_STATUS: Record<OverallStatus, MirrorStatus> = {
  operational: 'up',
  partial: 'degraded',
  major_outage: 'down',
  no_data: 'unknown',
};
