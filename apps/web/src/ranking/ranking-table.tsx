'use client';
import type { MirrorSummaryDto, SparklinesDto } from '@mirrorwatch/api-types';
import Link from 'next/link';
import { useMemo, useState, type MouseEvent } from 'react';
import { UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import { CoverageBadge } from '../components/coverage-badge';
import { FreshnessBadge } from '../components/freshness-badge';
import { StatusBadge } from '../components/status-badge';
import { formatMs, formatPercent, formatThroughput } from '../format/numbers';
import { formatAge, formatUtc } from '../format/time';
import { formatMessage } from '../i18n/format-message';
import { useI18n } from '../i18n/i18n-context';
import { FailureSummary } from './failure-summary';
import { Sparkline } from './sparkline';
import { useNow, usePolledJson, usePolledMirrors } from './use-polled-mirrors';
import {
  filterMirrors,
  nextSort,
  sortMirrors,
  STATUS_FILTERS,
  tableQueryString,
  type SortKey,
  type SortState,
  type StatusFilter,
} from './sort-mirrors';

const POLL_INTERVAL_MS = 10_000;
/** Sparklines are hourly buckets: once a minute keeps the current hour's figures current enough. */
const SPARKLINE_POLL_INTERVAL_MS = 60_000;

interface Props {
  initialMirrors: MirrorSummaryDto[];
  /** Null when the server could not fetch them: the column shows "—" until a poll succeeds. */
  initialSparklines: SparklinesDto | null;
  renderedAt: number;
  initialSort: SortState;
  initialFilter: StatusFilter;
  initialRegistry: string;
  /** This server's public origin, for the export command shown per registry. */
  origin: string;
}

export function RankingTable({
  initialMirrors,
  initialSparklines,
  renderedAt,
  initialSort,
  initialFilter,
  initialRegistry,
  origin,
}: Props) {
  const { t } = useI18n();
  const { mirrors, fetchedAt, failed } = usePolledMirrors(initialMirrors, renderedAt, POLL_INTERVAL_MS);
  const sparklines = usePolledJson<SparklinesDto | null>('/api/sparklines', initialSparklines, renderedAt, SPARKLINE_POLL_INTERVAL_MS).data;
  const now = useNow(renderedAt);
  const [sort, setSort] = useState(initialSort);
  const [filter, setFilter] = useState(initialFilter);
  const [registry, setRegistry] = useState(initialRegistry);

  const rows = useMemo(() => sortMirrors(filterMirrors(mirrors, filter, registry), sort), [mirrors, filter, registry, sort]);
  const ofRegistry = useMemo(() => mirrors.filter((mirror) => mirror.upstream === registry).length, [mirrors, registry]);

  // Without JavaScript the links reload the page with the same query; with it, state changes in place.
  const apply =
    (nextSortState: SortState, nextFilter: StatusFilter, nextRegistry: string = registry) =>
    (event: MouseEvent) => {
      event.preventDefault();
      setSort(nextSortState);
      setFilter(nextFilter);
      setRegistry(nextRegistry);
      window.history.replaceState(null, '', `${window.location.pathname}${tableQueryString(nextSortState, nextFilter, nextRegistry)}`);
    };

  const header = (key: SortKey, label: string, numeric = false) => {
    const target = nextSort(sort, key);
    const ariaSort = sort.key === key ? (sort.direction === 'asc' ? 'ascending' : 'descending') : 'none';
    return (
      <th scope="col" aria-sort={ariaSort} className={numeric ? 'num' : undefined}>
        <a
          href={tableQueryString(target, filter, registry) || '?'}
          onClick={apply(target, filter)}
          className="sort-link"
          title={formatMessage(t.ranking.sortBy, { column: label })}
        >
          {label}
          {sort.key === key ? (sort.direction === 'asc' ? ' ▲' : ' ▼') : ''}
        </a>
      </th>
    );
  };

  return (
    <section aria-labelledby="ranking-heading">
      <div className="toolbar">
        <span id="registry-filter-label">{t.ranking.registryLabel}</span>
        <div className="filter-group" role="group" aria-labelledby="registry-filter-label">
          {UPSTREAM_HOSTS.map((host) => (
            <a
              key={host}
              className="chip"
              href={tableQueryString(sort, filter, host) || '?'}
              aria-current={registry === host ? 'true' : undefined}
              onClick={apply(sort, filter, host)}
              data-registry={host}
            >
              {host}
            </a>
          ))}
        </div>
      </div>
      <p className="muted">
        {formatMessage(t.ranking.registryHint, { registry })}{' '}
        <code>{`curl -fsS ${origin}/api/recommended-hosts.toml?registry=${registry}`}</code>
      </p>
      <div className="toolbar">
        <span id="status-filter-label">{t.ranking.filterLabel}</span>
        <div className="filter-group" role="group" aria-labelledby="status-filter-label">
          {STATUS_FILTERS.map((value) => (
            <a
              key={value}
              className="chip"
              href={tableQueryString(sort, value, registry) || '?'}
              aria-current={filter === value ? 'true' : undefined}
              onClick={apply(sort, value)}
            >
              {value === 'all' ? t.ranking.filterAll : t.status[value]}
            </a>
          ))}
        </div>
        <span className="muted" aria-live="polite">
          {formatMessage(t.ranking.mirrorCount, { shown: rows.length, total: ofRegistry })}
        </span>
      </div>
      {failed ? (
        <p className="notice notice-warn" role="status">
          {formatMessage(t.common.refreshFailed, { age: formatAge(new Date(fetchedAt).toISOString(), now, t.age) })}
        </p>
      ) : null}
      <div className="table-wrap">
        <table className="data responsive">
          <thead>
            <tr>
              {header('rank', t.ranking.colRank, true)}
              {header('status', t.ranking.colStatus)}
              {header('name', t.ranking.colName)}
              {header('freshness', t.ranking.colFreshness)}
              <th scope="col">{t.ranking.colCoverage}</th>
              {header('latency', t.ranking.colP50, true)}
              {header('latencyP95', t.ranking.colP95, true)}
              {header('throughput', t.ranking.colThroughput, true)}
              {header('success', t.ranking.colSuccess, true)}
              <th scope="col">{t.ranking.colSparkline}</th>
              {header('checked', t.ranking.colChecked, true)}
            </tr>
          </thead>
          <tbody>
            {rows.map((mirror) => (
              <tr key={mirror.id} data-mirror-id={mirror.id} data-status={mirror.status}>
                <td className="num" data-label={t.ranking.colRank}>
                  {mirror.rank ?? t.common.noData}
                </td>
                <td data-label={t.ranking.colStatus}>
                  <StatusBadge status={mirror.status} label={t.status[mirror.status]} />
                </td>
                <td data-label={t.ranking.colName}>
                  <Link href={`/mirrors/${encodeURIComponent(mirror.id)}`}>{mirror.name}</Link>
                  {mirror.provider ? <span className="muted"> · {mirror.provider}</span> : null}
                  {mirror.visibility === 'private' ? <span className="tag"> {t.common.private}</span> : null}
                  {mirror.visibility === 'public' ? (
                    <div className="mirror-url">{mirror.pathPrefix ? `${mirror.url}/${mirror.pathPrefix}` : mirror.url}</div>
                  ) : null}
                  <FailureSummary mirror={mirror} t={t} />
                </td>
                <td data-label={t.ranking.colFreshness}>
                  <FreshnessBadge freshness={mirror.freshness} t={t} />
                </td>
                <td data-label={t.ranking.colCoverage}>
                  <CoverageBadge coverage={mirror.coverage} t={t} />
                </td>
                <td className="num" data-label={t.ranking.colP50}>
                  {formatMs(mirror.latencyMs)}
                </td>
                <td className="num" data-label={t.ranking.colP95}>
                  {formatMs(mirror.latencyP95Ms)}
                </td>
                <td className="num" data-label={t.ranking.colThroughput}>
                  {formatThroughput(mirror.throughputBytesPerSec)}
                </td>
                <td className="num" data-label={t.ranking.colSuccess}>
                  {formatPercent(mirror.successRate24h)}
                </td>
                <td className="spark-cell-td" data-label={t.ranking.colSparkline}>
                  <Sparkline sparkline={sparklines?.[mirror.id]} t={t} />
                </td>
                <td className="num" data-label={t.ranking.colChecked}>
                  <time dateTime={mirror.lastProbeAt ?? undefined} title={formatUtc(mirror.lastProbeAt, true)}>
                    {formatAge(mirror.lastProbeAt, now, t.age)}
                  </time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length === 0 ? <p className="muted">{t.ranking.empty}</p> : null}
    </section>
  );
}
