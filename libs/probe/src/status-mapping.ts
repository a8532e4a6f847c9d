import type { ProbePhase } from '@mirrorwatch/domain';
import { ProbeFailure } from './probe-failure.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * Maps an HTTP status that the current step did not expect to a failure.
 * 403 is usually an allowlist (DaoCloud "not in whitelist") or a cloud-only
 * accelerator (Aliyun); 429 carries Retry-After, which we keep for politeness.
 */
export function failureForStatus(status: number, phase: ProbePhase, retryAfter: string | null): ProbeFailure {
  const what = `HTTP ${status}`;
  if (status === 403) return new ProbeFailure('forbidden', phase, `${what} forbidden`, status);
  if (status === 404) return new ProbeFailure('not_found', phase, `${what} not found`, status);
  if (status === 429) {
    const seconds = parseRetryAfter(retryAfter);
    const suffix = seconds === null ? '' : `, retry after ${seconds}s`;
    return new ProbeFailure('rate_limited', phase, `${what} rate limited${suffix}`, status, seconds);
  }
  if (status >= 500 && status <= 599) return new ProbeFailure('server_error', phase, `${what} server error`, status);
  return new ProbeFailure('bad_status', phase, `unexpected ${what}`, status);
}
