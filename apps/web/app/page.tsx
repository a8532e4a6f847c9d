import type { MirrorSummaryDto, RecommendedDaemonJsonDto, SparklinesDto } from '@mirrorwatch/api-types';
import { publicOrigin } from '../src/api/public-origin';
import { fetchApiJson } from '../src/api/server-fetch';
import { ApiError } from '../src/components/api-error';
import { requestLocale } from '../src/i18n/server-locale';
import { RankingTable } from '../src/ranking/ranking-table';
import { RecommendedBox } from '../src/ranking/recommended-box';
import { parseTableQuery } from '../src/ranking/sort-mirrors';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function RankingPage({ searchParams }: { searchParams: SearchParams }) {
  const [{ t }, query, origin, mirrors, recommended, sparklines] = await Promise.all([
    requestLocale(),
    searchParams,
    publicOrigin(),
    fetchApiJson<MirrorSummaryDto[]>('/api/mirrors'),
    fetchApiJson<RecommendedDaemonJsonDto>('/api/recommended-daemon.json?count=3'),
    fetchApiJson<SparklinesDto>('/api/sparklines'),
  ]);
  const { sort, filter } = parseTableQuery(query);
  return (
    <>
      <h1 id="ranking-heading">{t.ranking.heading}</h1>
      <p className="muted">{t.ranking.intro}</p>
      {mirrors.ok ? null : <ApiError template={t.common.apiUnavailable} error={mirrors.error} />}
      <RankingTable
        initialMirrors={mirrors.ok ? mirrors.data : []}
        initialSparklines={sparklines.ok ? sparklines.data : null}
        renderedAt={Date.now()}
        initialSort={sort}
        initialFilter={filter}
      />
      <RecommendedBox t={t} origin={origin} result={recommended} />
    </>
  );
}
