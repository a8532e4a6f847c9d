import { describe, expect, it } from 'vitest';
import type { RankedMirror } from '@mirrorwatch/scoring';
import { RecommendationBook, type PublishedList } from './recommendation-book.js';

function ranked(id: string, rank: number | null, latency: number): RankedMirror {
  return {
    id,
    url: `https://${id}.example`,
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

describe('RecommendationBook', () => {
  it('serves an empty, valid document before anything is healthy', () => {
    const book = new RecommendationBook();
    expect(JSON.parse(book.get(3).body)).toEqual({ 'registry-mirrors': [] });
  });

  it('keeps one stable list per count, best first, without ineligible mirrors', () => {
    const book = new RecommendationBook();
    book.update([ranked('a', 1, 100), ranked('b', 2, 110), ranked('c', 3, 120), ranked('down', null, 1)], new Date());
    expect(book.get(1).mirrors).toEqual(['https://a.example']);
    expect(book.get(3).mirrors).toEqual(['https://a.example', 'https://b.example', 'https://c.example']);
    expect(book.get(10).mirrors).not.toContain('https://down.example');
  });

  it('keeps the body, timestamp and ETag byte-stable when nothing changed', () => {
    const book = new RecommendationBook();
    const list = [ranked('a', 1, 100), ranked('b', 2, 110)];
    book.update(list, new Date('2026-01-01T00:00:00Z'));
    const first = book.get(2);
    book.update(list, new Date('2026-01-01T00:01:00Z'));
    expect(book.get(2)).toBe(first);
  });

  it('does not swap members for a challenger that is only slightly faster', () => {
    const book = new RecommendationBook();
    book.update([ranked('a', 1, 100), ranked('b', 2, 110)], new Date());
    book.update([ranked('b', 1, 95), ranked('a', 2, 100)], new Date());
    expect(book.get(1).mirrors).toEqual(['https://a.example']);
  });

  it('rejects a count outside 1..10', () => {
    expect(() => new RecommendationBook().get(11)).toThrow(RangeError);
  });
});

const url = (id: string) => `https://${id}.example`;
const T0 = new Date('2026-01-01T00:00:00Z');
const T1 = new Date('2026-01-01T00:05:00Z');

describe('RecommendationBook seeded from stored incumbents (the scheduler after a restart or a takeover)', () => {
  it('serves the stored list with its stored timestamp before any cycle', () => {
    const book = new RecommendationBook();
    book.seed([{ count: 2, mirrors: [url('b'), url('a')], updatedAt: T0 }], T1);
    expect(book.get(2)).toMatchObject({ mirrors: [url('b'), url('a')], computedAt: T0 });
    expect(JSON.parse(book.get(2).body)).toEqual({ 'registry-mirrors': [url('b'), url('a')] });
  });

  it('keeps a stored incumbent that a fresh book would not pick, and its document byte for byte', () => {
    // Fresh, the book picks a (rank 1); seeded with b, it keeps b because a is only slightly faster.
    const list = [ranked('a', 1, 95), ranked('b', 2, 100)];
    const fresh = new RecommendationBook();
    fresh.update(list, T1);
    expect(fresh.get(1).mirrors).toEqual([url('a')]);

    const book = new RecommendationBook();
    book.seed([{ count: 1, mirrors: [url('b')], updatedAt: T0 }], T1);
    const seeded = book.get(1);
    book.update(list, T1);
    expect(book.get(1)).toBe(seeded);
    expect(book.unsaved().map((entry) => entry.count)).not.toContain(1);
  });

  it('drops a stored incumbent that is no longer eligible, and reports the new list as unsaved', () => {
    const book = new RecommendationBook();
    book.seed([{ count: 1, mirrors: [url('down')], updatedAt: T0 }], T1);
    book.update([ranked('a', 1, 100), ranked('down', null, 1)], T1);
    expect(book.get(1)).toMatchObject({ mirrors: [url('a')], computedAt: T1 });
    expect(book.unsaved()).toContainEqual({ count: 1, mirrors: [url('a')], updatedAt: T1 });
  });

  it('reports every count the database does not hold until it is marked saved', () => {
    const book = new RecommendationBook();
    book.seed([{ count: 1, mirrors: [url('a')], updatedAt: T0 }], T1);
    book.update([ranked('a', 1, 100), ranked('b', 2, 110)], T1);
    const unsaved = book.unsaved();
    expect(unsaved.map((entry) => entry.count)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    book.markSaved(unsaved);
    expect(book.unsaved()).toEqual([]);
  });
});

describe('RecommendationBook following stored lists (a replica that is not the scheduler)', () => {
  const stored: PublishedList[] = [{ count: 2, mirrors: [url('b'), url('a')], updatedAt: T0 }];

  it('serves the stored list as stored, not what recommend() would pick, with the same bytes and ETag as the scheduler', () => {
    const scheduler = new RecommendationBook();
    scheduler.seed(stored, T1);
    const follower = new RecommendationBook();
    follower.follow(stored, [ranked('a', 1, 50), ranked('b', 2, 200)], T1);
    expect(follower.get(2)).toEqual(scheduler.get(2));
    expect(follower.get(2).mirrors).toEqual([url('b'), url('a')]);
  });

  it('never serves a stored mirror that its own ranking finds ineligible', () => {
    const follower = new RecommendationBook();
    follower.follow(stored, [ranked('a', 1, 100), ranked('b', null, 100)], T1);
    expect(follower.get(2)).toMatchObject({ mirrors: [url('a')], computedAt: T1 });
  });

  it('keeps the document object while the stored list does not change', () => {
    const follower = new RecommendationBook();
    const list = [ranked('a', 1, 100), ranked('b', 2, 100)];
    follower.follow(stored, list, T0);
    const first = follower.get(2);
    follower.follow(stored, list, T1);
    expect(follower.get(2)).toBe(first);
  });

  it('falls back to the incumbent-free choice for a count never stored, instead of an empty list', () => {
    const follower = new RecommendationBook();
    follower.follow(stored, [ranked('a', 1, 100), ranked('b', 2, 110)], T1);
    expect(follower.get(1).mirrors).toEqual([url('a')]);
  });
});

describe('RecommendationBook with a URL dockerd would refuse', () => {
  const bad = 'https://user:secret@bad.example/path';

  it('leaves the mirror out of a decided list instead of failing the rebuild, and reports it once', () => {
    const book = new RecommendationBook();
    const invalid = { ...ranked('bad', 1, 50), url: bad };
    expect(() => book.update([invalid, ranked('a', 2, 100)], T0)).not.toThrow();
    expect(book.get(2).mirrors).toEqual([url('a')]);
    expect(book.takeSkipped()).toEqual([{ url: bad, reason: expect.any(String) }]);
    expect(book.takeSkipped()).toEqual([]);
  });

  it('drops it from a stored list when seeding or following, and stores the list again', () => {
    const stored: PublishedList[] = [{ count: 2, mirrors: [bad, url('a')], updatedAt: T0 }];
    const scheduler = new RecommendationBook();
    scheduler.seed(stored, T1);
    expect(scheduler.get(2).mirrors).toEqual([url('a')]);
    expect(scheduler.unsaved().map((list) => list.count)).toContain(2);
    const follower = new RecommendationBook();
    follower.follow(stored, [ranked('a', 1, 100), { ...ranked('bad', 2, 50), url: bad }], T1);
    expect(JSON.parse(follower.get(2).body)).toEqual({ 'registry-mirrors': [url('a')] });
    expect(follower.takeSkipped().map((mirror) => mirror.url)).toEqual([bad]);
  });
});
