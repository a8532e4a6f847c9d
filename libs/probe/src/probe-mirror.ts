import { performance } from 'node:perf_hooks';
import { emptyTimings, type ProbeResult } from '@mirrorwatch/domain';
import { deepStep } from './deep-step.js';
import { classifyError } from './classify-error.js';
import { Deadline } from './deadline.js';
import { manifestStep } from './manifest-step.js';
import { pingStep } from './ping-step.js';
import type { ProbeContext } from './probe-context.js';
import { ProbeFailure } from './probe-failure.js';
import { resolveProbeOptions, type ProbeOptions, type ProbeOptionsInput, type ProbeTarget } from './probe-options.js';
import { ProbeSession } from './probe-session.js';
import { tokenStep } from './token-step.js';
import { scopeForConfiguredUrl } from './outbound/outbound-policy.js';

/**
 * Last-resort margin past the total deadline. Every request already aborts on
 * the total deadline; this only guards against a bug that ignores the signal,
 * so the scheduler awaiting us can never hang.
 */
const HARD_STOP_GRACE_MS = 1_000;

/**
 * Probes a mirror the way dockerd pulls `docker.io/library/alpine:latest`
 * through it. Never throws and never outlives its total deadline: every
 * outcome, including a bug in here, comes back as a ProbeResult.
 */
export async function probeMirror(target: ProbeTarget, options: ProbeOptionsInput = {}): Promise<ProbeResult> {
  const startedAt = new Date();
  const started = performance.now();
  let context: ProbeContext | null = null;
  let failure: ProbeFailure | null = null;
  let total: Deadline | null = null;
  let session: ProbeSession | null = null;
  try {
    const resolved = resolveProbeOptions(options);
    total = new Deadline(resolved.timeouts.totalMs, `probe exceeded its ${resolved.timeouts.totalMs} ms budget`);
    const totalDeadline = total;
    const onCallerAbort = () => totalDeadline.expire('probe aborted by caller');
    if (resolved.signal?.aborted) onCallerAbort();
    resolved.signal?.addEventListener('abort', onCallerAbort, { once: true });
    const baseUrl = parseBaseUrl(target.url, resolved.kind);
    session = new ProbeSession(resolved, target.caPem, total, target.policy ?? { scope: scopeForConfiguredUrl(baseUrl) });
    context = newContext(session, resolved, baseUrl);
    const run = runSteps(context);
    run.catch(() => undefined); // if the hard stop wins, the late rejection is expected
    let hardStopTimer: NodeJS.Timeout | undefined;
    const hardStop = new Promise<never>((_, reject) => {
      hardStopTimer = setTimeout(
        () => reject(new ProbeFailure('timeout', context?.phase ?? 'ping', 'probe stopped at its hard deadline')),
        resolved.timeouts.totalMs + HARD_STOP_GRACE_MS,
      );
    });
    try {
      await Promise.race([run, hardStop]);
    } finally {
      clearTimeout(hardStopTimer);
      resolved.signal?.removeEventListener('abort', onCallerAbort);
    }
  } catch (error) {
    failure = classifyError(error, context?.phase ?? 'ping', [total]);
  } finally {
    total?.clear();
    await session?.close();
  }
  return buildResult(options.kind ?? 'light', startedAt, performance.now() - started, context, failure);
}

async function runSteps(context: ProbeContext): Promise<void> {
  const challenge = await pingStep(context);
  if (challenge !== null) await tokenStep(context, challenge);
  const manifest = await manifestStep(context);
  if (context.options.kind === 'deep') await deepStep(context, manifest);
}

function parseBaseUrl(url: string, kind: ProbeOptions['kind']): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ProbeFailure('internal', 'ping', `invalid mirror URL for a ${kind} probe`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ProbeFailure('internal', 'ping', `mirror URL scheme ${parsed.protocol} is not http(s)`);
  }
  return parsed;
}

function newContext(session: ProbeSession, options: ProbeOptions, baseUrl: URL): ProbeContext {
  return {
    session,
    options,
    baseUrl,
    phase: 'ping',
    httpStatus: null,
    token: null,
    timings: emptyTimings(),
    manifest: null,
    blob: null,
    notes: [],
  };
}

function buildResult(
  kind: ProbeOptions['kind'],
  startedAt: Date,
  durationMs: number,
  context: ProbeContext | null,
  failure: ProbeFailure | null,
): ProbeResult {
  const notes = context?.notes ?? [];
  const detail = failure !== null ? [failure.detail, ...notes].join('; ') : notes.length > 0 ? notes.join('; ') : null;
  return {
    kind,
    startedAt,
    durationMs,
    ok: failure === null,
    failureClass: failure?.failureClass ?? null,
    failedPhase: failure?.phase ?? null,
    detail,
    httpStatus: failure?.httpStatus ?? context?.httpStatus ?? null,
    timings: context?.timings ?? emptyTimings(),
    manifest: context?.manifest ?? null,
    blob: context?.blob ?? null,
    retryAfterSeconds: failure?.retryAfterSeconds ?? null,
  };
}
