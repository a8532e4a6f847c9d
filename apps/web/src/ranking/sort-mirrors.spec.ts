import type { MirrorSummaryDto } from '@mirrorwatch/api-types';
import { describe, expect, it } from 'vitest';
import { filterMirrors, nextSort, parseTableQuery, sortMirrors, tableQueryString, type SortState } from './sort-mirrors';

function mirror(id: string, fields: Partial<MirrorSummaryDto>): MirrorSummaryDto {
  return {
    id,
    name: id,
    url: `https://${id}.example`,
    provider: null,
    notes: null,
    visibility: 'public',
    upstream: 'docker.io',
    pathPrefix: null,
    pathStyle: null,
    status: 'up',
    failureClass: null,
    failedPhase: null,
    failureDetail: null,
    lastProbeAt: null,
    latencyMs: null,
    latencyP95Ms: null,
    successRate24h: null,
    probes24h: 0,
    lastDigest: null,
    freshness: 'unknown',
    referenceDigest: null,
    lastVerifiedAt: null,
    verifiedBlobDigest: null,
    throughputBytesPerSec: null,
    coverage: { verdict: 'unknown', failing: [], judged: 0 },
    rank: null,
    eligible: false,
    ...fields,
  };
}

const MIRRORS = [
  mirror('b', {
    rank: 2,
    freshness: 'lagging',
    latencyMs: 200,
    successRate24h: 0.9,
    throughputBytesPerSec: 5e6,
    lastProbeAt: '2025-01-01T00:00:30Z',
  }),
  mirror('a', {
    rank: 1,
    freshness: 'fresh',
    latencyMs: 300,
    successRate24h: 1,
    throughputBytesPerSec: null,
    lastProbeAt: '2025-01-01T00:00:10Z',
  }),
  mirror('down1', { status: 'down', latencyMs: null, successRate24h: 0.1, lastProbeAt: '2025-01-01T00:00:50Z' }),
  mirror('slow', { status: 'degraded', freshness: 'stale', latencyMs: 900, successRate24h: 0.99, throughputBytesPerSec: 1e5 }),
  mirror('new', { status: 'unknown' }),
];

const ids = (list: MirrorSummaryDto[]) => list.map((m) => m.id);

describe('sortMirrors', () => {
  it.each<[SortState, string[]]>([
    [{ key: 'rank', direction: 'asc' }, ['a', 'b', 'slow', 'down1', 'new']],
    [{ key: 'latency', direction: 'asc' }, ['b', 'a', 'slow', 'down1', 'new']],
    [{ key: 'latency', direction: 'desc' }, ['slow', 'a', 'b', 'down1', 'new']],
    [{ key: 'success', direction: 'desc' }, ['a', 'slow', 'b', 'down1', 'new']],
    [{ key: 'throughput', direction: 'desc' }, ['b', 'slow', 'a', 'down1', 'new']],
    [{ key: 'checked', direction: 'desc' }, ['down1', 'b', 'a', 'slow', 'new']],
    [{ key: 'status', direction: 'asc' }, ['a', 'b', 'slow', 'down1', 'new']],
    [{ key: 'name', direction: 'desc' }, ['slow', 'new', 'down1', 'b', 'a']],
    [{ key: 'freshness', direction: 'asc' }, ['a', 'b', 'slow', 'down1', 'new']],
    [{ key: 'freshness', direction: 'desc' }, ['slow', 'b', 'a', 'down1', 'new']],
  ])('%j', (sort, expected) => {
    expect(ids(sortMirrors(MIRRORS, sort))).toEqual(expected);
  });

  it('does not mutate its input', () => {
    const before = ids(MIRRORS);
    sortMirrors(MIRRORS, { key: 'name', direction: 'asc' });
    expect(ids(MIRRORS)).toEqual(before);
  });
});

describe('filterMirrors', () => {
  it.each([
    ['all', ['b', 'a', 'down1', 'slow', 'new']],
    ['down', ['down1']],
    ['degraded', ['slow']],
    ['up', ['b', 'a']],
  ] as const)('%s', (filter, expected) => {
    expect(ids(filterMirrors(MIRRORS, filter))).toEqual(expected);
  });
});

describe('filterMirrors by registry', () => {
  it('shows one upstream at a time, Docker Hub by default', () => {
    const list = [
      mirror('hub', {}),
      mirror('k8s', { upstream: 'registry.k8s.io' }),
      mirror('k8s-down', { upstream: 'registry.k8s.io', status: 'down' }),
    ];
    expect(ids(filterMirrors(list, 'all'))).toEqual(['hub']);
    expect(ids(filterMirrors(list, 'all', 'registry.k8s.io'))).toEqual(['k8s', 'k8s-down']);
    expect(ids(filterMirrors(list, 'down', 'registry.k8s.io'))).toEqual(['k8s-down']);
  });
});

describe('nextSort', () => {
  it('flips the current column and starts others in their natural direction', () => {
    expect(nextSort({ key: 'latency', direction: 'asc' }, 'latency')).toEqual({ key: 'latency', direction: 'desc' });
    expect(nextSort({ key: 'latency', direction: 'asc' }, 'throughput')).toEqual({ key: 'throughput', direction: 'desc' });
    expect(nextSort({ key: 'throughput', direction: 'desc' }, 'latencyP95')).toEqual({ key: 'latencyP95', direction: 'asc' });
  });
});

describe('table query', () => {
  it.each<[Record<string, string | string[] | undefined>, ReturnType<typeof parseTableQuery>, string]>([
    [{}, { sort: { key: 'rank', direction: 'asc' }, filter: 'all', registry: 'docker.io' }, ''],
    [{ sort: 'latency' }, { sort: { key: 'latency', direction: 'asc' }, filter: 'all', registry: 'docker.io' }, '?sort=latency&dir=asc'],
    [
      { sort: 'success', status: 'down' },
      { sort: { key: 'success', direction: 'desc' }, filter: 'down', registry: 'docker.io' },
      '?sort=success&dir=desc&status=down',
    ],
    [
      { sort: 'bogus', dir: 'sideways', status: 'weird', registry: 'evil.example' },
      { sort: { key: 'rank', direction: 'asc' }, filter: 'all', registry: 'docker.io' },
      '',
    ],
    [
      { sort: ['name', 'rank'], dir: 'desc' },
      { sort: { key: 'name', direction: 'desc' }, filter: 'all', registry: 'docker.io' },
      '?sort=name&dir=desc',
    ],
    [
      { registry: 'registry.k8s.io', status: 'up' },
      { sort: { key: 'rank', direction: 'asc' }, filter: 'up', registry: 'registry.k8s.io' },
      '?status=up&registry=registry.k8s.io',
    ],
  ])('%j round-trips', (query, parsed, text) => {
    const result = parseTableQuery(query);
    expect(result).toEqual(parsed);
    expect(tableQueryString(result.sort, result.filter, result.registry)).toBe(text);
  });
});
