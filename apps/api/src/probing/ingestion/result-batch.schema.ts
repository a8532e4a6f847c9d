import { z } from 'zod';
import { FAILURE_CLASSES, PROBE_PHASES, type ProbeResult } from '@mirrorwatch/domain';
import { fieldPath } from '#infrastructure/http/field-path.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';

/** Results per request: 100 results of the largest accepted shape stay inside the 100 kB body limit of /api. */
export const MAX_RESULTS_PER_BATCH = 100;

/** Upper bounds that keep a bad agent from storing absurd figures; the engine's own caps are far below them. */
const MAX_DURATION_MS = 3_600_000;
const MAX_DETAIL_CHARS = 500;

const isoDate = z
  .string()
  .max(40)
  .refine((value) => /^\d{4}-\d{2}-\d{2}T/.test(value) && Number.isFinite(Date.parse(value)), 'must be an ISO-8601 date-time');
const ms = z.number().finite().min(0).max(MAX_DURATION_MS).nullable();
const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be a sha256 digest');
const shortText = (max: number) => z.string().max(max, `must be at most ${max} characters`);

const TIMINGS = z.strictObject({
  dnsMs: ms,
  connectMs: ms,
  tlsMs: ms,
  pingTtfbMs: ms,
  tokenMs: ms,
  manifestMs: ms,
  blobTtfbMs: ms,
  blobTransferMs: ms,
});

const MANIFEST = z.strictObject({
  repository: shortText(256),
  reference: shortText(128),
  digest,
  mediaType: shortText(200),
  platformDigest: digest.nullable(),
});

const BLOB = z.strictObject({
  digest,
  bytes: z
    .number()
    .int()
    .min(0)
    .max(1024 ** 3),
  throughputBytesPerSec: z.number().finite().min(0).nullable(),
  verified: z.boolean(),
  redirects: z.number().int().min(0).max(20),
});

const RESULT = z
  .strictObject({
    id: z.uuid('must be a UUID'),
    mirrorId: z.string().min(1).max(100),
    repository: z
      .string()
      .regex(/^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$/, 'must be a repository name such as library/alpine')
      .max(256),
    kind: z.enum(['light', 'deep']),
    startedAt: isoDate,
    durationMs: z.number().finite().min(0).max(MAX_DURATION_MS),
    ok: z.boolean(),
    failureClass: z.enum(FAILURE_CLASSES).nullable(),
    failedPhase: z.enum(PROBE_PHASES).nullable(),
    detail: shortText(MAX_DETAIL_CHARS).nullable(),
    httpStatus: z.number().int().min(100).max(599).nullable(),
    timings: TIMINGS,
    manifest: MANIFEST.nullable(),
    blob: BLOB.nullable(),
    retryAfterSeconds: z
      .number()
      .int()
      .min(0)
      .max(86_400 * 365)
      .nullable(),
  })
  // A result is either a success without a class or a failure with one: scoring switches on exactly that.
  .refine((result) => result.ok === (result.failureClass === null), {
    message: 'must be null exactly when ok is true',
    path: ['failureClass'],
  });

const BATCH = z.strictObject({
  sentAt: isoDate,
  vantage: z.string().max(64).optional(),
  spoolDropped: z.number().int().min(0).optional(),
  results: z
    .array(RESULT)
    .min(1, 'must hold at least one result')
    .max(MAX_RESULTS_PER_BATCH, `must hold at most ${MAX_RESULTS_PER_BATCH} results`),
});

export interface ParsedResult {
  resultId: string;
  mirrorId: string;
  repository: string;
  /** Start time on the agent's clock; the service corrects it. */
  result: ProbeResult;
}

export interface ParsedBatch {
  sentAt: Date;
  vantage: string | undefined;
  spoolDropped: number;
  results: ParsedResult[];
}

/** The body of `POST /api/agent/results`, or a 400 naming the first bad field (`results[3].timings.dnsMs`). */
export function parseResultBatch(body: unknown): ParsedBatch {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new InvalidParameterException('body', 'must be a JSON object');
  const parsed = BATCH.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const base = issue?.path ?? [];
    const path = issue?.code === 'unrecognized_keys' ? [...base, String(issue.keys[0])] : base;
    const message = issue?.code === 'unrecognized_keys' ? 'is not a field of this request' : (issue?.message ?? 'invalid value');
    throw new InvalidParameterException(path.length ? fieldPath(path) : 'body', message);
  }
  const batch = parsed.data;
  return {
    sentAt: new Date(batch.sentAt),
    vantage: batch.vantage,
    spoolDropped: batch.spoolDropped ?? 0,
    results: batch.results.map(({ id, mirrorId, repository, startedAt, ...result }) => ({
      resultId: id,
      mirrorId,
      repository,
      result: { ...result, startedAt: new Date(startedAt) },
    })),
  };
}
