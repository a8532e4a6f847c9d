import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOMMEND_POLICY, type RankedMirror } from '@mirrorwatch/scoring';
import type { StoredRecommendation } from '#infrastructure/persistence/recommendation.repository.js';
import { PublishedRecommendations, type RankedByScope } from './published-recommendations.js';

function ranked(id: string, rank: number | null, latency: number): RankedMirror {
  return {
    id,
    url: url(id),
    status: rank === null ? 'down' : 'up',
    degradedReason: null,
    successRate24h: 1,
    manifestP50Ms1h: latency,
    throughputBytesPerSec: null,
    integrityFailuresInWindow: 0,
    freshness: 'fresh',
    coverage: 'all',
    servedShare: 1,
    probes24h: 100,
    hangs24h: 0,
    tier: 0,
    eligible: rank !== null,
    ineligibleReason: rank === null ? 'down' : null,
    rank,
    successBucket: 50,
  };
}
const url = (id: string) => `https://${id}.example`;
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:05:00Z');

/** The table as a map keyed like its unique (scope, count) index. */
class InMemoryRecommendations {
  readonly rows = new Map<string, StoredRecommendation>();
  failWrites = false;
  loadAll(): Promise<StoredRecommendation[]> {
    return Promise.resolve([...this.rows.values()].map((row) => ({ ...row, mirrors: [...row.mirrors] })));
  }
  saveChanged(entries: readonly StoredRecommendation[]): Promise<void> {
    if (this.failWrites) return Promise.reject(new Error('database unavailable'));
    for (const entry of entries) this.rows.set(`${entry.scope}/${entry.count}`, { ...entry, mirrors: [...entry.mirrors] });
    return Promise.resolve();
  }
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };
const both = (list: RankedMirror[]): RankedByScope => ({ public: list, admin: list });

describe('PublishedRecommendations', () => {
  it('lets the scheduler resume from the stored incumbents after a restart', async () => {
    const db = new InMemoryRecommendations();
    db.rows.set('public/1', { scope: 'public', count: 1, mirrors: [url('b')], updatedAt: T0 });
    const restarted = new PublishedRecommendations(db, DEFAULT_RECOMMEND_POLICY, silent);
    // a is faster, but not clearly: a fresh choice would be a, the incumbent b stays.
    await restarted.refresh(both([ranked('a', 1, 95), ranked('b', 2, 100)]), true, T1);
    expect(restarted.get('public', 1)).toMatchObject({ mirrors: [url('b')], computedAt: T0 });
    expect(db.rows.get('public/1')).toEqual({ scope: 'public', count: 1, mirrors: [url('b')], updatedAt: T0 });
    // Every other list is stored once, for both scopes.
    expect(db.rows.size).toBe(20);
  });

  it('makes a follower serve exactly what the scheduler stored, with the same body and ETag', async () => {
    const db = new InMemoryRecommendations();
    const scheduler = new PublishedRecommendations(db, DEFAULT_RECOMMEND_POLICY, silent);
    await scheduler.refresh(both([ranked('a', 1, 100), ranked('b', 2, 110)]), true, T0);
    const follower = new PublishedRecommendations(db, DEFAULT_RECOMMEND_POLICY, silent);
    // The follower's own ranking now prefers b clearly; it still serves the scheduler's decision.
    await follower.refresh(both([ranked('b', 1, 10), ranked('a', 2, 100)]), false, T1);
    for (const count of [1, 2, 5]) {
      expect(follower.get('public', count)).toEqual(scheduler.get('public', count));
      expect(follower.get('admin', count)).toEqual(scheduler.get('admin', count));
    }
    expect(follower.get('public', 1).mirrors).toEqual([url('a')]);
  });

  it('re-seeds from the database when it becomes the scheduler again', async () => {
    const db = new InMemoryRecommendations();
    const replica = new PublishedRecommendations(db, DEFAULT_RECOMMEND_POLICY, silent);
    const list = both([ranked('a', 1, 100), ranked('b', 2, 101)]);
    await replica.refresh(list, true, T0);
    expect(replica.get('public', 1).mirrors).toEqual([url('a')]);
    // Meanwhile another scheduler chose b for count 1.
    db.rows.set('public/1', { scope: 'public', count: 1, mirrors: [url('b')], updatedAt: T1 });
    await replica.refresh(list, false, T1);
    await replica.refresh(list, true, T1);
    expect(replica.get('public', 1).mirrors).toEqual([url('b')]);
  });

  it('retries a failed write on the next refresh', async () => {
    const db = new InMemoryRecommendations();
    const scheduler = new PublishedRecommendations(db, DEFAULT_RECOMMEND_POLICY, silent);
    db.failWrites = true;
    await scheduler.refresh(both([ranked('a', 1, 100)]), true, T0);
    expect(scheduler.get('public', 1).mirrors).toEqual([url('a')]);
    expect(db.rows.size).toBe(0);
    db.failWrites = false;
    await scheduler.refresh(both([ranked('a', 1, 100)]), true, T1);
    expect(db.rows.get('public/1')).toEqual({ scope: 'public', count: 1, mirrors: [url('a')], updatedAt: T0 });
  });

  it('names public mirrors with a URL dockerd would refuse in one warning, counts private ones without their URL', async () => {
    const warnings: unknown[] = [];
    const published = new PublishedRecommendations(new InMemoryRecommendations(), DEFAULT_RECOMMEND_POLICY, {
      ...silent,
      warn: (message) => void warnings.push(message),
    });
    const publicBad = { ...ranked('bad', 1, 50), url: 'https://bad.example/path' };
    const privateBad = { ...ranked('secret', 1, 50), url: 'https://user:token@secret.example/path' };
    await published.refresh({ public: [publicBad, ranked('a', 2, 100)], admin: [publicBad, privateBad, ranked('a', 3, 100)] }, true, T0);
    expect(published.get('public', 1).mirrors).toEqual([url('a')]);
    expect(published.skippedMirrors()).toBe(2);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings[0])).toContain('https://bad.example/path');
    expect(JSON.stringify(warnings[0])).not.toContain('token');
  });
});
