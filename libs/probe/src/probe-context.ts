import type { BlobObservation, ManifestObservation, PhaseTimings, ProbePhase } from '@mirrorwatch/domain';
import type { ProbeOptions } from './probe-options.js';
import type { ProbeSession } from './probe-session.js';

/** Mutable state of one probe run, filled step by step so a failure still reports what was measured. */
export interface ProbeContext {
  session: ProbeSession;
  options: ProbeOptions;
  /** Mirror base URL without a trailing slash. */
  baseUrl: URL;
  /** Step in progress: where an unexpected exception is attributed. */
  phase: ProbePhase;
  httpStatus: number | null;
  /** Bearer token once obtained; never copied into details. */
  token: string | null;
  timings: PhaseTimings;
  manifest: ManifestObservation | null;
  blob: BlobObservation | null;
  /** Non-failure remarks for the result detail (sampled layer, unexpected digest). */
  notes: string[];
}

export function registryUrl(context: ProbeContext, path: string): URL {
  const base = context.baseUrl.href.replace(/\/+$/, '');
  return new URL(`${base}${path}`);
}

export function authHeaders(context: ProbeContext): Record<string, string> {
  return context.token === null ? {} : { authorization: `Bearer ${context.token}` };
}
