import type { StatusMirrorDto } from '@mirrorwatch/api-types';
import type { MirrorStatus } from '@mirrorwatch/domain';

export type OverallStatus = 'operational' | 'partial' | 'major_outage' | 'no_data';

/**
 * The banner at the top of the status page. Users can pull as long as one
 * mirror works (dockerd tries registry-mirrors in order), so "major outage"
 * means none works, not "some are down".
 */
export function overallStatus(statuses: readonly MirrorStatus[]): OverallStatus {
  const known = statuses.filter((status) => status !== 'unknown');
  if (known.length === 0) return 'no_data';
  if (known.every((status) => status === 'up')) return 'operational';
  if (known.some((status) => status === 'up' || status === 'degraded')) return 'partial';
  return 'major_outage';
}

export function overallOf(mirrors: readonly StatusMirrorDto[]): OverallStatus {
  return overallStatus(mirrors.map((mirror) => mirror.status));
}

/** Banner styling reuses the per-mirror status palette and icon shapes. */
export const OVERALL_AS_STATUS: Record<OverallStatus, MirrorStatus> = {
  operational: 'up',
  partial: 'degraded',
  major_outage: 'down',
  no_data: 'unknown',
};
