import type { MirrorStatus } from '@mirrorwatch/domain';

/**
 * A mirror's public status from what several vantages see. It is `down` only
 * when `quorum` vantages with a verdict agree (fewer when fewer report: a
 * single-vantage install still shows its outages); a mirror some networks
 * cannot reach but the quorum can is `degraded`, not down, since those
 * networks' users get their own recommendation.
 */
export function quorumStatus(statuses: readonly MirrorStatus[], quorum: number): MirrorStatus {
  const known = statuses.filter((status) => status !== 'unknown');
  if (known.length === 0) return 'unknown';
  const down = known.filter((status) => status === 'down').length;
  if (down >= Math.max(1, Math.min(quorum, known.length))) return 'down';
  if (down > 0 || known.includes('degraded')) return 'degraded';
  return 'up';
}
