import { describe, expect, it } from 'vitest';
import type { ProbeRecord } from '#infrastructure/persistence/probe-record.js';
import { newer } from './newer-probe.js';

const probe = (id: number, startedAtMs: number): ProbeRecord => ({ id, startedAt: new Date(startedAtMs) }) as ProbeRecord;

describe('newer', () => {
  it.each([
    ['only the first', probe(1, 10), null, 1],
    ['only the second', null, probe(2, 10), 2],
    ['the later start, first', probe(1, 20), probe(2, 10), 1],
    ['the later start, second', probe(1, 10), probe(2, 20), 2],
    ['a tie: the later stored, second', probe(1, 10), probe(2, 10), 2],
    ['a tie: the later stored, first', probe(3, 10), probe(2, 10), 3],
  ] as const)('%s', (_name, a, b, expectedId) => {
    expect(newer(a, b)?.id).toBe(expectedId);
  });

  it('is null without either', () => {
    expect(newer(null, null)).toBeNull();
  });
});
