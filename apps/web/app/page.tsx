import type { CoverageOverviewDto, MirrorSummaryDto, RecommendedDaemonJsonDto, SparklinesDto } from '@mirrorwatch/api-types';
import { BrokenImagesBanner } from '../src/components/broken-images-banner';
import { publicOrigin } from '../src/api/public-origin';
import { fetchApiJson } from '../src/api/server-fetch';
import { ApiError } from '../src/components/api-error';
import { requestLocale } from '../src/i18n/server-locale';
import { RankingTable } from '../src/ranking/ranking-table';
import { RecommendedBox } from '../src/ranking/recommended-box';
import { parseTableQuery } from '../src/ranking/sort-mirrors';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RankingPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ t }, query, origin, mirrors, recommended, sparklines, coverage] = await Promise.all([
    requestLocale(),
    searchParams,
    publicOrigin(),
    fetchApiJson<MirrorSummaryDto[]>('/api/mirrors'),
    // No count: the length mirrorwatch recommends (where one more mirror stops paying for itself).
    fetchApiJson<RecommendedDaemonJsonDto>('/api/recommended-daemon.json'),
    fetchApiJson<SparklinesDto>('/api/sparklines'),
    fetchApiJson<CoverageOverviewDto>('/api/coverage'),
  ]);
  const { sort, filter, registry } = parseTableQuery(query);
  return (
    <>
      <h1 id="ranking-heading">{t.ranking.heading}</h1>
      <p className="muted">{t.ranking.intro}</p>
      {mirrors.ok ? null : <ApiError template={t.common.apiUnavailable} error={mirrors.error} />}
      <BrokenImagesBanner overview={coverage.ok ? coverage.data : null} t={t} />
      <RankingTable
        initialMirrors={mirrors.ok ? mirrors.data : []}
        initialSparklines={sparklines.ok ? sparklines.data : null}
        renderedAt={Date.now()}
        initialSort={sort}
        initialFilter={filter}
        initialRegistry={registry}
        origin={origin}
      />
      <RecommendedBox t={t} origin={origin} result={recommended} />
    </>
  );
}
