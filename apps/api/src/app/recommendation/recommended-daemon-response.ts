import {
  EXPECTED_PULL_MS_HEADER,
  NO_HEALTHY_MIRRORS_HEADER,
  RECOMMENDED_COUNT_HEADER,
  RECOMMENDED_COUNT_MAX,
  RECOMMENDED_COUNT_MIN,
} from '@mirrorwatch/api-types';
import { parseIntegerParam } from '../../common/query-parsers.js';
import { exportMaxAge } from '../exports/send-rendered.js';
import type { ServedDocument } from '../exports/served-document.js';
import type { RankingService } from '../ranking/ranking.service.js';

export const NO_HEALTHY_MIRRORS_WARNING = 'no healthy mirror; dockerd will pull from Docker Hub directly';

/**
 * `GET /api/recommended-daemon.json` as served, for the controller and the
 * export wire path alike. Throws InvalidParameterException for a bad `count`.
 */
export function servedRecommendedDaemon(ranking: RankingService, probeIntervalSeconds: number, countParam: unknown): ServedDocument {
  const count = parseIntegerParam('count', countParam, {
    min: RECOMMENDED_COUNT_MIN,
    max: RECOMMENDED_COUNT_MAX,
    // Without `count`, the length where one more mirror no longer pays for itself.
    fallback: ranking.recommendedCount('public'),
  });
  const document = ranking.publicRecommendation(count);
  const headers: Array<[string, string]> = [
    [EXPECTED_PULL_MS_HEADER, String(ranking.expectedPullMs('public', document.mirrors))],
    [RECOMMENDED_COUNT_HEADER, String(ranking.recommendedCount('public'))],
    ['Content-Type', 'application/json; charset=utf-8'],
    ['ETag', document.etag],
    ['Cache-Control', `public, max-age=${exportMaxAge(probeIntervalSeconds)}`],
    ['Last-Modified', document.computedAt.toUTCString()],
  ];
  if (document.mirrors.length === 0) headers.push([NO_HEALTHY_MIRRORS_HEADER, NO_HEALTHY_MIRRORS_WARNING]);
  return { headers, etag: document.etag, body: document.body };
}
