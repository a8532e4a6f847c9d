import { describe, expect, it } from 'vitest';
import type { MirrorStatus } from '@mirrorwatch/domain';
import { quorumStatus } from './quorum.js';

describe('quorumStatus', () => {
  const cases: [MirrorStatus[], number, MirrorStatus][] = [
    [[], 2, 'unknown'],
    [['unknown', 'unknown'], 2, 'unknown'],
    [['down'], 1, 'down'],
    [['down'], 2, 'down'],
    [['down', 'up', 'up'], 2, 'degraded'],
    [['down', 'down', 'up'], 2, 'down'],
    [['down', 'unknown', 'up'], 2, 'degraded'],
    [['down', 'down', 'unknown'], 3, 'down'],
    [['down', 'up'], 1, 'down'],
    [['up', 'degraded'], 2, 'degraded'],
    [['up', 'up'], 2, 'up'],
  ];
  it.each(cases)('%j with quorum %i is %s', (statuses, quorum, expected) => {
    expect(quorumStatus(statuses, quorum)).toBe(expected);
  });
});
