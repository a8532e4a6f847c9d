/**
 * The closed set of ways a mirror can fail a probe. Every probe outcome maps to
 * exactly one of these (or to success), so dashboards, alerts and scoring can
 * switch over them exhaustively. Add a class here, never ad hoc strings.
 */
export const FAILURE_CLASSES = [
  /** Name did not resolve (NXDOMAIN, SERVFAIL, resolver timeout). */
  'dns',
  /** TCP RST on connect: nothing listens there. */
  'connect_refused',
  /** TCP handshake did not finish within the connect timeout (filtered, blackholed). */
  'connect_timeout',
  /** An established connection was reset or closed before a full response. */
  'connection_reset',
  /** TLS handshake or certificate verification failed. */
  'tls',
  /** A phase after connect (headers, body, token) exceeded its timeout. */
  'timeout',
  /** The Bearer token dance failed: bad challenge, token endpoint refused or returned no token. */
  'auth',
  /** 403: commonly an image allowlist (DaoCloud) or a cloud-only accelerator (Aliyun). */
  'forbidden',
  /** 404 for the probed repository or tag. */
  'not_found',
  /** 429: the mirror rate-limits us; Retry-After is recorded when sent. */
  'rate_limited',
  /** 5xx from the mirror. */
  'server_error',
  /** Any other unexpected HTTP status (e.g. 400, 405, 418). */
  'bad_status',
  /** Malformed body, wrong content type, unparseable JSON, HTML portal page, missing platform. */
  'bad_response',
  /** Headers or body larger than our caps (including lying Content-Length and decompression bombs). */
  'too_large',
  /**
   * The mirror, its token realm or a redirect led to an address the outbound
   * policy refuses (loopback, private, link-local, ...); nothing was sent there.
   */
  'blocked_address',
  /** Too many redirects, or a redirect cycle. */
  'redirect_loop',
  /** Blob or manifest content does not match its sha256 digest. */
  'integrity',
  /** Serves an older digest than the reference for longer than the grace period. */
  'stale',
  /** Serves library images but refuses others: a partial allowlist. */
  'allowlisted',
  /** A bug in the probe engine itself; recorded instead of crashing the scheduler. */
  'internal',
] as const;

export type FailureClass = (typeof FAILURE_CLASSES)[number];

export function isFailureClass(value: unknown): value is FailureClass {
  return typeof value === 'string' && (FAILURE_CLASSES as readonly string[]).includes(value);
}
