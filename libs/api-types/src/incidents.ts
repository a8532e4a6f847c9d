import type { FailureClass } from '@mirrorwatch/domain';

/**
 * `GET /api/incidents?mirrorId=&open=true|false&limit=50`: newest first.
 * An incident opens when a mirror's status becomes down (or degraded) and
 * closes when it recovers, as status pages (Statuspage, Uptime Kuma) show them.
 */
export interface IncidentDto {
  id: string;
  mirrorId: string;
  mirrorName: string;
  /** Where it was seen: 'local' (this server) or a remote vantage's id. */
  vantage: string;
  /** The status that opened it. */
  severity: 'down' | 'degraded';
  /** ISO-8601. */
  startedAt: string;
  /** ISO-8601; null while ongoing. */
  endedAt: string | null;
  /** Failure class that caused it (most frequent during the incident). */
  failureClass: FailureClass | null;
  /** Human-readable cause, safe to show publicly (no private URLs, no tokens). */
  cause: string | null;
}
