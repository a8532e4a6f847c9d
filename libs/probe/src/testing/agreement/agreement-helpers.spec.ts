import { describe, expect, it } from 'vitest';
import { EXTRA_VARIANTS, STANDARD_VARIANTS } from '@mirrorwatch/lab';
import { expectedProbeClass, AGREEMENT_CASES } from './agreement-cases.js';
import { outputLines, stableText } from './client-outcome.js';

describe('agreement helpers', () => {
  it.each([
    ['Get "http://127.0.0.1:40123/v2/": refused', 'Get "http://127.0.0.1:PORT/v2/": refused'],
    [`expected sha256:${'ab'.repeat(32)}`, 'expected sha256:abababab…'],
    ['open /tmp/mw-agreement-x1/healthy/image: no space', 'open /tmp/…: no space'],
  ])('stableText(%j) drops what changes between runs', (input, expected) => {
    expect(stableText(input)).toBe(expected);
  });

  it('outputLines splits progress-bar redraws and strips colour codes', () => {
    expect(outputLines('a: \u001b[32m+++\u001b[0m|\rb: done\r\n\nctr: failed\n')).toEqual(['a: +++|', 'b: done', 'ctr: failed']);
  });

  it.each([
    ['healthy', null, null],
    ['dead', 'connect_refused', 'connect_refused'],
    ['stale', 'stale', null],
    ['allowlist', 'allowlisted', null],
    ['allowlist, non-library repo', 'allowlisted', 'forbidden'],
    ['partial', null, null],
    ['partial, image its upstream lacks', null, 'not_found'],
    ['tls, CA not given', null, 'tls'],
  ] as const)('%s: lab expects %s, a single probe must report %s', (id, labExpectation, expected) => {
    const agreementCase = AGREEMENT_CASES.find((c) => c.id === id);
    expect(agreementCase).toBeDefined();
    expect(expectedProbeClass(agreementCase!, labExpectation)).toBe(expected);
  });

  it('covers every lab variant once with library/alpine, and gives policy reasons exactly for stale, allowlist and partial', () => {
    const alpineRows = AGREEMENT_CASES.filter((c) => c.repository === 'library/alpine' && c.giveCa);
    expect(alpineRows.map((c) => c.variant).sort()).toEqual([...STANDARD_VARIANTS, ...EXTRA_VARIANTS].sort());
    expect(AGREEMENT_CASES.filter((c) => c.policy).map((c) => c.id)).toEqual(['stale', 'allowlist', 'partial']);
  });
});
