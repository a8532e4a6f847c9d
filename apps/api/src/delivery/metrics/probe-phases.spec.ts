import { describe, expect, it } from 'vitest';
import { emptyTimings } from '@mirrorwatch/domain';
import { blackboxPhaseSeconds } from './probe-phases.js';

describe('blackboxPhaseSeconds', () => {
  it.each([
    [
      'a light https probe',
      { dnsMs: 2, connectMs: 10, tlsMs: 30, pingTtfbMs: 40, tokenMs: 50, manifestMs: 60 },
      { resolve: 0.002, connect: 0.01, tls: 0.03, processing: 0.15, transfer: 0 },
    ],
    [
      'a deep http probe',
      { dnsMs: 0, connectMs: 1, pingTtfbMs: 5, manifestMs: 7, blobTtfbMs: 8, blobTransferMs: 900 },
      { resolve: 0, connect: 0.001, tls: 0, processing: 0.02, transfer: 0.9 },
    ],
    ['a probe that failed at connect', { dnsMs: 3 }, { resolve: 0.003, connect: 0, tls: 0, processing: 0, transfer: 0 }],
  ])('folds %s into the five blackbox phases', (_name, timings, expected) => {
    const result = blackboxPhaseSeconds({ ...emptyTimings(), ...timings });
    for (const [phase, seconds] of Object.entries(expected)) expect(result[phase as keyof typeof result]).toBeCloseTo(seconds, 6);
  });
});
