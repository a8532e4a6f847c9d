import type { MirrorStatus } from '@mirrorwatch/domain';
import type { IncidentDto } from './incidents.js';

/**
 * A mirror's daily cells on the public status page (90 of them, the Uptime
 * Kuma / Statuspage habit), one array entry per UTC day, oldest first. Kept
 * columnar and per-mille so 100 mirrors stay a few kB each, not 7 kB: the
 * per-day probe counts are a click away in the mirror's 30-day history.
 */
export interface DailyCellsDto {
  /** `YYYY-MM-DD` (UTC) of the first, oldest cell; cell i is i days later, the last one is today. */
  from: string;
  /** successes / probes in per-mille, rounded down (1000 only when every probe passed); null when no probe ran that day. */
  uptimePermille: (number | null)[];
  /** Incidents open at some point that day. */
  incidents: number[];
}

export interface StatusMirrorDto {
  id: string;
  name: string;
  /** The registry it mirrors (`docker.io`, `registry.k8s.io`, ...). */
  upstream: string;
  provider: string | null;
  status: MirrorStatus;
  /** ISO-8601 time of the latest probe. */
  lastProbeAt: string | null;
  /** Uptime over all `days`, 0..1; null without probes. */
  uptime: number | null;
  /** Exactly `StatusSummaryDto.days` cells, oldest first, ending today (UTC). */
  daily: DailyCellsDto;
}

/**
 * `GET /api/status`: the public status page in one request. Public mirrors
 * only: a private mirror (a personal accelerator URL) never appears here.
 */
export interface StatusSummaryDto {
  /** ISO-8601 time the summary was computed. */
  generatedAt: string;
  /** The banner state, from the listed mirrors' current statuses (see overallStatus). */
  overall: OverallStatus;
  /** Latest probe time across the listed mirrors. */
  lastCheckedAt: string | null;
  /** Number of daily cells per mirror (90). */
  days: number;
  mirrors: StatusMirrorDto[];
  /** Open incidents, newest first. */
  ongoingIncidents: IncidentDto[];
  /** Closed incidents of the last `days` days, newest first (at most 50). */
  pastIncidents: IncidentDto[];
}

export const STATUS_DAYS = 90;

/** Past incidents listed on the status page. */
export const STATUS_PAST_INCIDENTS_MAX = 50;

export type OverallStatus = 'operational' | 'partial' | 'major_outage' | 'no_data';

/**
 * The status page banner. Users can pull as long as one mirror works (dockerd
 * tries registry-mirrors in order), so "major outage" means none works, not
 * "some are down".
 */
export function overallStatus(statuses: readonly MirrorStatus[]): OverallStatus {
  const known = statuses.filter((status) => status !== 'unknown');
  if (known.length === 0) return 'no_data';
  if (known.every((status) => status === 'up')) return 'operational';
  if (known.some((status) => status === 'up' || status === 'degraded')) return 'partial';
  return 'major_outage';
}
