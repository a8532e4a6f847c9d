import { describe, expect, it } from 'vitest';
import { parseResultBatch } from './result-batch.schema.js';

const result = (overrides: Record<string, unknown> = {}) => ({
  id: '6f1c2b1e-8c1d-4c55-9a55-2a5b7f3c9d10',
  mirrorId: 'docker-1ms-run',
  repository: 'library/alpine',
  kind: 'light',
  startedAt: '2026-11-30T09:00:00.000Z',
  durationMs: 12.5,
  ok: true,
  failureClass: null,
  failedPhase: null,
  detail: null,
  httpStatus: 200,
  timings: { dnsMs: 0, connectMs: 1, tlsMs: null, pingTtfbMs: 2, tokenMs: null, manifestMs: 3, blobTtfbMs: null, blobTransferMs: null },
  manifest: {
    repository: 'library/alpine',
    reference: 'latest',
    digest: `sha256:${'a'.repeat(64)}`,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    platformDigest: null,
  },
  blob: null,
  retryAfterSeconds: null,
  ...overrides,
});
const batch = (overrides: Record<string, unknown> = {}) => ({ sentAt: '2026-11-30T09:00:01.000Z', results: [result()], ...overrides });

function fieldOf(body: unknown): string {
  try {
    parseResultBatch(body);
  } catch (error) {
    return (error as { getResponse(): { field: string } }).getResponse().field;
  }
  throw new Error('accepted');
}

describe('parseResultBatch', () => {
  it('accepts a well-formed batch and parses its dates', () => {
    const parsed = parseResultBatch(batch());
    expect(parsed.results[0]?.result.startedAt).toEqual(new Date('2026-11-30T09:00:00.000Z'));
    expect(parsed.results[0]?.resultId).toBe('6f1c2b1e-8c1d-4c55-9a55-2a5b7f3c9d10');
  });

  it.each([
    ['an array', [], 'body'],
    ['no sentAt', { results: [result()] }, 'sentAt'],
    ['a bad sentAt', batch({ sentAt: 'yesterday' }), 'sentAt'],
    ['no results', batch({ results: [] }), 'results'],
    ['101 results', batch({ results: Array.from({ length: 101 }, () => result()) }), 'results'],
    ['an unknown top-level field', batch({ extra: 1 }), 'extra'],
    ['a bad id', batch({ results: [result(), result({ id: 'x' })] }), 'results[1].id'],
    ['a negative timing', batch({ results: [result({ timings: { ...result().timings, dnsMs: -1 } })] }), 'results[0].timings.dnsMs'],
    ['an unknown failure class', batch({ results: [result({ ok: false, failureClass: 'gremlins' })] }), 'results[0].failureClass'],
    ['a failure without a class', batch({ results: [result({ ok: false })] }), 'results[0].failureClass'],
    ['a bad digest', batch({ results: [result({ manifest: { ...result().manifest, digest: 'md5:1' } })] }), 'results[0].manifest.digest'],
    ['an unknown result field', batch({ results: [result({ vantageId: 'x' })] }), 'results[0].vantageId'],
    ['a bad repository', batch({ results: [result({ repository: '../etc' })] }), 'results[0].repository'],
  ])('refuses %s, naming %s', (_case, body, field) => {
    expect(fieldOf(body)).toBe(field);
  });
});
