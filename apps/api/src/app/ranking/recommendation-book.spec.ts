import { describe, expect, it } from 'vitest';
import type { RankedMirror } from '@mirrorwatch/scoring';
import { RecommendationBook } from './recommendation-book.js';

function ranked(id: string, rank: number | null, latency: number): RankedMirror {
  return {
    id, url: `https://${id}.example`, status: rank === null ? 'down' : 'up', degradedReason: null, successRate24h: 1,
    manifestP50Ms1h: latency, throughputBytesPerSec: null, integrityFailuresInWindow: 0, stale: false,
    eligible: rank !== null, ineligibleReason: rank === null ? 'down' : null, rank, successBucket: 50,
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
