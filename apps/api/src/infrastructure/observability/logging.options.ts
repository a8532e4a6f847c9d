import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';

/** An incoming id is kept only when it is short and plain, so it cannot forge log lines. */
const INCOMING_ID = /^[\w.:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'X-Request-Id';

/**
 * nestjs-pino's LoggerModule options: one pino logger for Nest's own lines,
 * ours (`new Logger(Context)`, with a `context` field) and one line per `/api`
 * request. Lines logged while a request is handled carry its `req` (id,
 * method, path), so a warning can be traced to the request that caused it.
 *
 * Every request gets an id (kept from `X-Request-Id` when a proxy set one,
 * echoed in the response). Only the path is logged, never the query (it can
 * carry proxy URLs) or headers (the admin token). Successful requests log at
 * debug: fleets poll the exports, and an info line per poll would cost more
 * than serving it (docs/benchmarks/logging.md measures the whole glue).
 */
export function loggingOptions(level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service: 'mirrorwatch' },
      redact: ['req.headers.authorization'],
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const id = requestId(req);
        res.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      autoLogging: { ignore: (req: IncomingMessage) => !(req.url ?? '').startsWith('/api') },
      customLogLevel: requestLogLevel,
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, path: req.url.split('?')[0] }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customSuccessMessage: () => 'request',
      customErrorMessage: () => 'request failed',
    },
  };
}

const READINESS_PATH = '/api/health/ready';

/**
 * Failures at error, refusals at warn, the rest at debug. Readiness's 503
 * ("starting", "catching up", "not the leader yet") is its answer, not a
 * failure: a load balancer polls it every few seconds through a whole
 * backfill, and an error line with a stack per poll buried real errors. What
 * it reports is in its body, and the work behind it logs its own changes
 * (leadership gained or lost, a rollup pass finished).
 */
export function requestLogLevel(req: IncomingMessage, res: ServerResponse, error?: Error): 'error' | 'warn' | 'debug' {
  if (res.statusCode === 503 && (req.url ?? '').split('?')[0] === READINESS_PATH) return 'debug';
  return error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'debug';
}

/** The id a request is logged and answered under: the proxy's when it is plain, else a new one (also used by the exports' wire path). */
export function requestId(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && INCOMING_ID.test(incoming) ? incoming : randomUUID();
}
