import { EXPECTED_PULL_MS_HEADER, RECOMMENDED_COUNT_HEADER } from '@mirrorwatch/api-types';

/** What the API says a served list costs a pull, from the export's response headers. */
export interface PullCost {
  expectedPullMs: number;
  recommendedCount: number | null;
}

export function readPullCost(headers: Pick<Headers, 'get'>): PullCost | null {
  const expected = Number.parseFloat(headers.get(EXPECTED_PULL_MS_HEADER) ?? '');
  if (!Number.isFinite(expected)) return null;
  const count = Number.parseInt(headers.get(RECOMMENDED_COUNT_HEADER) ?? '', 10);
  return { expectedPullMs: expected, recommendedCount: Number.isFinite(count) ? count : null };
}
