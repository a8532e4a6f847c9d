import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { DOCKER_HUB_REGISTRY, MIRROR_STATUSES, UPSTREAM_HOSTS, type MirrorStatus } from '@mirrorwatch/domain';

export const SORT_KEYS = ['rank', 'status', 'name', 'freshness', 'latency', 'latencyP95', 'throughput', 'success', 'checked'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortDirection = 'asc' | 'desc';
export interface SortState {
  key: SortKey;
  direction: SortDirection;
}

export const STATUS_FILTERS = ['all', ...MIRROR_STATUSES] as const;
export type StatusFilter = 'all' | MirrorStatus;

export const DEFAULT_SORT: SortState = { key: 'rank', direction: 'asc' };

/** Best first when sorting ascending. */
const STATUS_ORDER: Record<MirrorStatus, number> = { up: 0, degraded: 1, down: 2, unknown: 3 };
/** Best first; `unknown` is a missing figure, so it sorts last in both directions. */
const FRESHNESS_ORDER: Record<MirrorSummaryDto['freshness'], number | null> = { fresh: 0, lagging: 1, stale: 2, unknown: null };

/** The value a column sorts by; null sorts last in both directions (a missing figure is never "best"). */
function sortValue(mirror: MirrorSummaryDto, key: SortKey): number | string | null {
  switch (key) {
    case 'rank':
      return mirror.rank;
    case 'status':
      return STATUS_ORDER[mirror.status];
    case 'name':
      return mirror.name.toLocaleLowerCase();
    case 'freshness':
      return FRESHNESS_ORDER[mirror.freshness];
    case 'latency':
      return mirror.latencyMs;
    case 'latencyP95':
      return mirror.latencyP95Ms;
    case 'throughput':
      return mirror.throughputBytesPerSec;
    case 'success':
      return mirror.successRate24h;
    case 'checked':
      return mirror.lastProbeAt === null ? null : Date.parse(mirror.lastProbeAt);
  }
}

/** The direction a first click on a column picks: higher is better for these. */
export function defaultDirection(key: SortKey): SortDirection {
  return key === 'throughput' || key === 'success' || key === 'checked' ? 'desc' : 'asc';
}

/** Clicking the sorted column flips it; another column starts in its natural direction. */
export function nextSort(current: SortState, key: SortKey): SortState {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: defaultDirection(key) };
}

function compareValues(a: number | string, b: number | string): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a).localeCompare(String(b));
}

/** Stable sort; ties fall back to status, then name, so the order never jitters between polls. */
export function sortMirrors(mirrors: readonly MirrorSummaryDto[], sort: SortState): MirrorSummaryDto[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...mirrors].sort((a, b) => {
    const va = sortValue(a, sort.key);
    const vb = sortValue(b, sort.key);
    if (va !== null && vb === null) return -1;
    if (va === null && vb !== null) return 1;
    if (va !== null && vb !== null) {
      const primary = compareValues(va, vb) * sign;
      if (primary !== 0) return primary;
    }
    return STATUS_ORDER[a.status] - STATUS_ORDER[b.status] || a.name.localeCompare(b.name) || a.id.localeCompare(b.id);
  });
}

/** One upstream's mirrors (ranks are per upstream, so the table shows one at a time), narrowed by status. */
export function filterMirrors(
  mirrors: readonly MirrorSummaryDto[],
  filter: StatusFilter,
  registry: string = DOCKER_HUB_REGISTRY,
): MirrorSummaryDto[] {
  return mirrors.filter((m) => m.upstream === registry && (filter === 'all' || m.status === filter));
}

/** Reads `?sort=latency&dir=desc&status=down&registry=ghcr.io` (links that work without JavaScript). */
export function parseTableQuery(query: Record<string, string | string[] | undefined>): {
  sort: SortState;
  filter: StatusFilter;
  registry: string;
} {
  const rawKey = first(query['sort']);
  const key = (SORT_KEYS as readonly string[]).includes(rawKey ?? '') ? (rawKey as SortKey) : DEFAULT_SORT.key;
  const rawDir = first(query['dir']);
  const direction: SortDirection =
    rawDir === 'asc' || rawDir === 'desc' ? rawDir : key === DEFAULT_SORT.key ? DEFAULT_SORT.direction : defaultDirection(key);
  const rawFilter = first(query['status']);
  const filter = (STATUS_FILTERS as readonly string[]).includes(rawFilter ?? '') ? (rawFilter as StatusFilter) : 'all';
  const rawRegistry = first(query['registry']);
  const registry = UPSTREAM_HOSTS.includes(rawRegistry ?? '') ? (rawRegistry as string) : DOCKER_HUB_REGISTRY;
  return { sort: { key, direction }, filter, registry };
}

export function tableQueryString(sort: SortState, filter: StatusFilter, registry: string = DOCKER_HUB_REGISTRY): string {
  const params = new URLSearchParams();
  if (sort.key !== DEFAULT_SORT.key || sort.direction !== DEFAULT_SORT.direction) {
    params.set('sort', sort.key);
    params.set('dir', sort.direction);
  }
  if (filter !== 'all') params.set('status', filter);
  if (registry !== DOCKER_HUB_REGISTRY) params.set('registry', registry);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
