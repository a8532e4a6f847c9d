import { describe, expect, it } from 'vitest';
import { DEFAULT_RECOMMEND_POLICY } from './policy.js';
import { rankMirrors, type MirrorStats } from './rank-mirrors.js';
import { recommend } from './recommend.js';
import { stats } from './testing/stats.fixture.js';

const url = (id: string) => `https://${id}.example`;

function pick(input: MirrorStats[], incumbents: string[], count: number) {
  return recommend(rankMirrors(input), incumbents.map(url), count);
}

describe('recommend', () => {
  it.each<[string, MirrorStats[], string[], number, string[], boolean]>([
    [
      'no incumbents: best first',
      [stats('a', { manifestP50Ms1h: 500 }), stats('b', { manifestP50Ms1h: 200 }), stats('c', { manifestP50Ms1h: 300 })],
      [],
      2,
      ['b', 'c'],
      true,
    ],
    ['nothing eligible: empty list', [stats('a', { status: 'down' }), stats('b', { freshness: 'stale' })], [], 3, [], false],
    ['count 0', [stats('a')], [], 0, [], false],
    ['fewer eligible than count', [stats('a'), stats('b', { status: 'down' })], [], 3, ['a'], true],
    [
      'similar challenger does not unseat incumbent',
      [stats('a', { manifestP50Ms1h: 400 }), stats('b', { manifestP50Ms1h: 300 })],
      ['a'],
      1,
      ['a'],
      false,
    ],
    ['challenger 30 % faster does', [stats('a', { manifestP50Ms1h: 400 }), stats('b', { manifestP50Ms1h: 280 })], ['a'], 1, ['b'], true],
    [
      'faster but less reliable does not',
      [stats('a', { manifestP50Ms1h: 400, successRate24h: 1 }), stats('b', { manifestP50Ms1h: 100, successRate24h: 0.97 })],
      ['a'],
      1,
      ['a'],
      false,
    ],
    [
      'clearly more reliable does, even if slower',
      [stats('a', { manifestP50Ms1h: 200, successRate24h: 0.9 }), stats('b', { manifestP50Ms1h: 600, successRate24h: 1 })],
      ['a'],
      1,
      ['b'],
      true,
    ],
    [
      'incumbent gone down is replaced',
      [stats('a', { status: 'down' }), stats('b'), stats('c', { manifestP50Ms1h: 900 })],
      ['a', 'b'],
      2,
      ['b', 'c'],
      true,
    ],
    ['incumbent with integrity failure is replaced', [stats('a', { integrityFailuresInWindow: 1 }), stats('b')], ['a'], 1, ['b'], true],
    ['unknown incumbent URL is dropped', [stats('a')], ['gone'], 1, ['a'], true],
    [
      'incumbent order kept between similar mirrors',
      [stats('a', { manifestP50Ms1h: 330 }), stats('b', { manifestP50Ms1h: 300 })],
      ['a', 'b'],
      2,
      ['a', 'b'],
      false,
    ],
    [
      'clearly better incumbent moves ahead',
      [stats('a', { manifestP50Ms1h: 900 }), stats('b', { manifestP50Ms1h: 300 })],
      ['a', 'b'],
      2,
      ['b', 'a'],
      true,
    ],
    [
      'count shrinks: best incumbents kept',
      [stats('a', { manifestP50Ms1h: 500 }), stats('b', { manifestP50Ms1h: 300 }), stats('c', { manifestP50Ms1h: 400 })],
      ['a', 'b', 'c'],
      2,
      ['b', 'c'],
      true,
    ],
    [
      'count grows: newcomer appended after incumbents',
      [stats('a', { manifestP50Ms1h: 300 }), stats('b', { manifestP50Ms1h: 280 })],
      ['a'],
      2,
      ['a', 'b'],
      true,
    ],
    ['duplicate incumbents collapse', [stats('a')], ['a', 'a'], 2, ['a'], true],
  ])('%s', (_label, input, incumbents, count, expected, changed) => {
    expect(pick(input, incumbents, count)).toEqual({ mirrors: expected.map(url), changed });
  });

  it('never returns a duplicate URL, even when stats repeat a mirror', () => {
    const result = pick([stats('a'), stats('a'), stats('b')], [], 3);
    expect(result.mirrors).toEqual([url('a'), url('b')]);
  });

  it('honours a custom latency margin', () => {
    const ranked = rankMirrors([stats('a', { manifestP50Ms1h: 400 }), stats('b', { manifestP50Ms1h: 300 })]);
    expect(recommend(ranked, [url('a')], 1, { ...DEFAULT_RECOMMEND_POLICY, latencyMargin: 0.2 }).mirrors).toEqual([url('b')]);
  });
});

describe('recommend: churn', () => {
  it('two similar mirrors alternating by 5 % do not flip the recommendation', () => {
    let incumbents: string[] = [];
    const answers: string[][] = [];
    let changes = 0;
    for (let minute = 0; minute < 120; minute++) {
      const aFaster = minute % 2 === 0;
      const input = [
        stats('a', { manifestP50Ms1h: aFaster ? 300 : 315, successRate24h: aFaster ? 0.995 : 0.99 }),
        stats('b', { manifestP50Ms1h: aFaster ? 315 : 300, successRate24h: aFaster ? 0.99 : 0.995 }),
        stats('c', { manifestP50Ms1h: 350, successRate24h: 0.99 }),
      ];
      // The ranking itself does flip every minute...
      expect(rankMirrors(input)[0]?.id).toBe(aFaster ? 'a' : 'b');
      const result = recommend(rankMirrors(input), incumbents, 1);
      if (result.changed) changes++;
      answers.push(result.mirrors);
      incumbents = result.mirrors;
    }
    // ...but the recommendation is set once and never changes.
    expect(changes).toBe(1);
    expect(new Set(answers.map((a) => a.join()))).toEqual(new Set([url('a')]));
  });

  it('with count 2 neither membership nor order flips', () => {
    let incumbents = [url('b'), url('a')];
    for (let minute = 0; minute < 60; minute++) {
      const aFaster = minute % 2 === 0;
      const input = [
        stats('a', { manifestP50Ms1h: aFaster ? 300 : 315 }),
        stats('b', { manifestP50Ms1h: aFaster ? 315 : 300 }),
        stats('c', { manifestP50Ms1h: 320 }),
      ];
      const result = recommend(rankMirrors(input), incumbents, 2);
      expect(result).toEqual({ mirrors: [url('b'), url('a')], changed: false });
      incumbents = result.mirrors;
    }
  });
});
