import { describe, expect, it } from 'vitest';
import { emptyTimings, type ProbeResult } from '@mirrorwatch/domain';
import { AGREEMENT_CASES } from './agreement-cases.js';
import { agreementOf, renderAgreementSection, type AgreementRow } from './agreement-report.js';
import type { ClientOutcome, ClientSkipped } from './client-outcome.js';

const engine = (ok: boolean): ProbeResult => ({
  kind: 'deep',
  startedAt: new Date('2026-11-30T00:00:00Z'),
  durationMs: 100,
  ok,
  failureClass: ok ? null : 'connect_refused',
  failedPhase: ok ? null : 'ping',
  detail: ok ? null : 'refused',
  httpStatus: null,
  timings: emptyTimings(),
  manifest: null,
  blob: null,
  retryAfterSeconds: null,
});
const client = (usable: boolean): ClientOutcome => ({
  usable,
  exitCode: usable ? 0 : 1,
  killed: false,
  durationMs: 100,
  reason: usable ? null : 'failed',
});
const skipped: ClientSkipped = { skipped: 'MIRRORWATCH_SKIP=skopeo' };
const row = (ok: boolean, skopeo: ClientOutcome | ClientSkipped, ctr: ClientOutcome | ClientSkipped): AgreementRow => ({
  agreementCase: AGREEMENT_CASES[0]!,
  engine: engine(ok),
  skopeo,
  ctr,
});

describe('agreement rows', () => {
  it.each([
    ['both clients agree', row(true, client(true), client(true)), 'yes'],
    ['one client ran and agrees', row(false, skipped, client(false)), 'yes'],
    ['one client disagrees', row(true, client(true), client(false)), 'no'],
    ['no client ran', row(true, skipped, skipped), 'not run'],
  ] as const)('%s: %s', (_name, measured, expected) => {
    expect(agreementOf(measured)).toBe(expected);
  });

  it('refuses to render a table with a row no client checked', () => {
    expect(() =>
      renderAgreementSection([row(true, client(true), client(true)), row(true, skipped, skipped)], { wallMs: 1, clientTimeoutMs: 1 }),
    ).toThrow(/no real client ran/);
  });

  it('renders yes for a row a client checked', () => {
    const section = renderAgreementSection([row(true, client(true), skipped)], { wallMs: 1, clientTimeoutMs: 1 });
    expect(section).toMatch(/\| yes \|/);
  });
});
