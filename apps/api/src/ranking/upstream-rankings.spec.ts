import { describe, expect, it } from 'vitest';
import type { RankedMirror } from '@mirrorwatch/scoring';
import { recommendEndpoints, type RankedEndpoint } from './upstream-rankings.js';

function ranked(url: string, pathPrefix: string | null, eligible: boolean): RankedEndpoint {
  return { url, pathPrefix, ranked: { id: url, url, eligible } as RankedMirror };
}

describe('recommendEndpoints', () => {
  const list = [
    ranked('https://k8s.example', null, true),
    ranked('https://dead.example', null, false),
    ranked('https://m.example', 'registry.k8s.io', true),
    ranked('https://second.example', null, true),
  ];

  it('takes eligible mirrors in rank order, path-prefix ones as themselves, at most count', () => {
    expect(recommendEndpoints(list, 10)).toEqual([
      { url: 'https://k8s.example', pathPrefix: null },
      { url: 'https://m.example', pathPrefix: 'registry.k8s.io' },
      { url: 'https://second.example', pathPrefix: null },
    ]);
    expect(recommendEndpoints(list, 1)).toEqual([{ url: 'https://k8s.example', pathPrefix: null }]);
  });

  it("for Docker Hub: the book's list first, then eligible path-prefix mirrors; root-served ones are the book's call", () => {
    expect(recommendEndpoints(list, 3, ['https://second.example'])).toEqual([
      { url: 'https://second.example', pathPrefix: null },
      { url: 'https://m.example', pathPrefix: 'registry.k8s.io' },
    ]);
  });
});
