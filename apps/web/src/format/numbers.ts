const NO_DATA = '—';

/** Milliseconds as users read them: "84 ms", "1.27 s". */
export function formatMs(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return NO_DATA;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

const THROUGHPUT_UNITS = ['B/s', 'KiB/s', 'MiB/s', 'GiB/s'] as const;

/** Bytes per second in binary units, three significant figures at most. */
export function formatThroughput(bytesPerSec: number | null | undefined): string {
  if (bytesPerSec === null || bytesPerSec === undefined || !Number.isFinite(bytesPerSec) || bytesPerSec < 0) return NO_DATA;
  let value = bytesPerSec;
  let unit = 0;
  while (value >= 1024 && unit < THROUGHPUT_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 || unit === 0 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${THROUGHPUT_UNITS[unit]}`;
}

/**
 * A 0..1 ratio as a percentage with two decimals, truncated rather than
 * rounded: 0.99996 must read 99.99 %, never 100 %, because "100 %" on a status
 * page promises that no probe failed.
 */
export function formatPercent(ratio: number | null | undefined, decimals = 2): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return NO_DATA;
  const clamped = Math.min(1, Math.max(0, ratio));
  const factor = 10 ** decimals;
  const truncated = Math.floor(clamped * 100 * factor + 1e-9) / factor;
  return `${truncated.toFixed(decimals)}%`;
}

/** Short sha256 digest for tables: "sha256:4bcff63911fc…". */
export function shortDigest(digest: string | null | undefined, hexChars = 12): string {
  if (!digest) return NO_DATA;
  const [algorithm, hex] = digest.split(':');
  if (hex === undefined) return digest.slice(0, hexChars);
  return hex.length > hexChars ? `${algorithm}:${hex.slice(0, hexChars)}…` : digest;
}
