import { formatMessage } from '../i18n/format-message';

export interface AgeLabels {
  justNow: string;
  seconds: string;
  minutes: string;
  hours: string;
  days: string;
  never: string;
}

/** "12 s ago", "3 min ago"...; `now` is passed in so server and client render the same text. */
export function formatAge(iso: string | null | undefined, nowMs: number, labels: AgeLabels): string {
  if (!iso) return labels.never;
  const then = Date.parse(iso);
  if (Number.isNaN(then)) return labels.never;
  const seconds = Math.max(0, Math.floor((nowMs - then) / 1000));
  if (seconds < 2) return labels.justNow;
  if (seconds < 120) return formatMessage(labels.seconds, { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return formatMessage(labels.minutes, { n: minutes });
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return formatMessage(labels.hours, { n: hours });
  return formatMessage(labels.days, { n: Math.floor(hours / 24) });
}

/**
 * "2025-11-28 13:21 UTC". Always UTC: the same string on the server and in
 * every browser (no hydration mismatch), and unambiguous across regions.
 */
export function formatUtc(iso: string | null | undefined, withSeconds = false): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const text = date
    .toISOString()
    .slice(0, withSeconds ? 19 : 16)
    .replace('T', ' ');
  return `${text} UTC`;
}

/** "2 h 5 min" style duration between two instants (end defaults to now). */
export function formatDuration(startIso: string, endIso: string | null, nowMs: number): string {
  const end = endIso ? Date.parse(endIso) : nowMs;
  const totalMinutes = Math.max(0, Math.round((end - Date.parse(startIso)) / 60_000));
  if (Number.isNaN(totalMinutes)) return '—';
  const days = Math.floor(totalMinutes / 1440);
  const hours = Math.floor((totalMinutes % 1440) / 60);
  const minutes = totalMinutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  return `${minutes} min`;
}
