import type { ProbePhase } from '@mirrorwatch/domain';
import { ProbeFailure } from './probe-failure.js';
import { readSnippet } from './read-body.js';
import { headerValue, type Exchange } from './probe-session.js';
import { failureForStatus } from './status-mapping.js';

/**
 * A failure for an unexpected status, enriched with the registry's own error
 * code (distribution spec "errors" body, e.g. DENIED for DaoCloud's allowlist)
 * so the dashboard can say why, not just "403".
 */
export async function failureFromResponse(exchange: Exchange, phase: ProbePhase): Promise<ProbeFailure> {
  const failure = failureForStatus(exchange.status, phase, headerValue(exchange.headers, 'retry-after'));
  const reason = registryErrorSummary(await readSnippet(exchange, 4096));
  if (reason === null) return failure;
  return new ProbeFailure(
    failure.failureClass,
    failure.phase,
    `${failure.detail}: ${reason}`,
    failure.httpStatus,
    failure.retryAfterSeconds,
  );
}

function registryErrorSummary(body: string): string | null {
  try {
    const parsed = JSON.parse(body) as { errors?: { code?: unknown; message?: unknown }[] };
    const first = parsed.errors?.[0];
    if (!first) return null;
    const parts = [first.code, first.message].filter((part): part is string => typeof part === 'string' && part !== '');
    return parts.length > 0 ? parts.join(' ').replace(/\s+/g, ' ').slice(0, 120) : null;
  } catch {
    return null;
  }
}
