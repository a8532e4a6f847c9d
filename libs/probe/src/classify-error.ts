import type { ProbePhase } from '@mirrorwatch/domain';
import { ProbeFailure } from './probe-failure.js';
import type { Deadline } from './deadline.js';
import { OutboundAddressRefusedError } from './outbound/outbound-policy.js';

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA', 'EAI_NONAME']);
const RESET_CODES = new Set([
  'ECONNRESET',
  'EPIPE',
  'ECONNABORTED',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_RES_CONTENT_LENGTH_MISMATCH',
]);
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|HOSTNAME_MISMATCH|EPROTO$|ERR_OSSL_)/;

/**
 * Turns whatever a request threw into a failure class. Deadlines are checked
 * first: an abort caused by our own timer is a timeout of that phase, whatever
 * error undici wrapped it in.
 */
export function classifyError(error: unknown, phase: ProbePhase, deadlines: readonly (Deadline | null)[]): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  for (const deadline of deadlines) {
    if (deadline?.expiredReason) return new ProbeFailure('timeout', phase, deadline.expiredReason);
  }
  const code = errorCode(error);
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_OUTBOUND_ADDRESS_REFUSED') {
    // The message names the host the mirror gave us and the category, never the port or whether anything listens.
    return new ProbeFailure('blocked_address', phase, refusalMessage(error));
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new ProbeFailure('connect_timeout', phase, 'TCP/TLS connect timed out');
  }
  if (code === 'ECONNREFUSED') return new ProbeFailure('connect_refused', phase, 'connection refused');
  if (code !== null && UNREACHABLE_CODES.has(code)) return new ProbeFailure('connect_refused', phase, `host unreachable (${code})`);
  if (code !== null && DNS_CODES.has(code)) return new ProbeFailure('dns', phase, `DNS lookup failed (${code})`);
  if (code === 'UND_ERR_HEADERS_TIMEOUT') return new ProbeFailure('timeout', phase, 'no response headers in time');
  if (code === 'UND_ERR_BODY_TIMEOUT') return new ProbeFailure('timeout', phase, 'response body stalled');
  if (code === 'UND_ERR_HEADERS_OVERFLOW' || code === 'HPE_HEADER_OVERFLOW') {
    return new ProbeFailure('too_large', phase, 'response headers exceed the size cap');
  }
  if (code !== null && TLS_CODE.test(code)) return new ProbeFailure('tls', phase, `TLS failure (${code})`);
  if (code !== null && RESET_CODES.has(code)) return new ProbeFailure('connection_reset', phase, `connection closed early (${code})`);
  // undici's HTTPParserError often carries no code (llhttp's error number is not mapped).
  if (error instanceof Error && error.name === 'HTTPParserError') {
    return new ProbeFailure('bad_response', phase, `malformed HTTP response (${code ?? 'not HTTP/1.x'})`);
  }
  if (code !== null && code.startsWith('HPE_')) return new ProbeFailure('bad_response', phase, `malformed HTTP response (${code})`);
  if (code !== null && /^E[A-Z]+$/.test(code)) return new ProbeFailure('connection_reset', phase, `network error (${code})`);
  return new ProbeFailure('internal', phase, `unexpected error: ${message.slice(0, 200)}`);
}

/**
 * The error code, looking through undici's `cause` chain and the AggregateError
 * Node raises when every address of a happy-eyeballs connect failed.
 */
function errorCode(error: unknown, depth = 0): string | null {
  if (depth > 4 || typeof error !== 'object' || error === null) return null;
  const record = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof record.code === 'string' && record.code !== 'UND_ERR_ABORTED') {
    // undici wraps socket errors: prefer the precise inner code when there is one.
    const inner = errorCode(record.cause, depth + 1);
    return inner !== null && record.code === 'UND_ERR_SOCKET' ? inner : record.code;
  }
  if (Array.isArray(record.errors) && record.errors.length > 0) return errorCode(record.errors[0], depth + 1);
  return errorCode(record.cause, depth + 1);
}

function refusalMessage(error: unknown, depth = 0): string {
  if (depth > 4 || typeof error !== 'object' || error === null) return 'address refused by the outbound address policy';
  if (error instanceof OutboundAddressRefusedError) return error.message;
  const record = error as { cause?: unknown; errors?: unknown };
  if (Array.isArray(record.errors) && record.errors.length > 0) return refusalMessage(record.errors[0], depth + 1);
  return refusalMessage(record.cause, depth + 1);
}
