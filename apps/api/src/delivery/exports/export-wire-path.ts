import type { IncomingMessage, ServerResponse } from 'node:http';
import { REQUEST_ID_HEADER, requestId } from '#infrastructure/observability/logging.options.js';
import { matchesEtag } from '#infrastructure/http/etag.js';
import type { ServedDocument } from './served-document.js';

/** One served document as bytes: the header lists for 200 and 304 with the request id's slot first, and the body. */
export interface PreparedResponse {
  etag: string;
  ok: string[];
  notModified: string[];
  body: Buffer;
}

/**
 * The document one request is served, found without waiting: `key` names
 * everything its bytes depend on besides `version` (whose list, its cache
 * policy, the URL), `version` is the object they were computed from (a new
 * one whenever they may change: a ranking rebuild, a vantage's view), and
 * `served` renders it, or returns null for a request Nest must answer (a
 * parameter out of range: the 400 naming it).
 */
export interface WireDocument {
  key: string;
  version: object;
  served(): ServedDocument | null;
}

/** The document a request is served, or null when it must go through Nest. */
export type WireDocuments = (req: IncomingMessage) => WireDocument | null;

/** Whether a request may be served now (the export tier's per-client bound); false sends it to Nest, which answers 429. */
export type Admission = (req: IncomingMessage) => boolean;

/** Told of every response the wire path writes (a metrics counter). */
export type WireObserver = (status: 200 | 304) => void;

/** Prepared responses kept at most: keys are bounded (routes × counts × live vantages × registries), this bounds them anyway. */
const MAX_PREPARED = 4096;

/**
 * The exports at wire speed. Fleets fetch `recommended-daemon.json` and the
 * other exports far more often than they change (once per probe cycle), and
 * through Express and Nest a request cost ~250 µs of routing, guards and
 * header writing for a body already in memory. Here the response of each
 * URL is prepared once per version of its list (headers, ETag,
 * Content-Length, body bytes) and written before Express sees the request:
 * a map lookup, the rate-limit bucket and one write.
 *
 * Anything unusual falls through to the ordinary route, so the answer is
 * the same by construction: another method, a URL that is not exactly one
 * of the canonical forms (`?count=03`, unknown or repeated parameters), a
 * list not in memory yet (a vantage's view to build), `If-Modified-Since`
 * without `If-None-Match` (Express's freshness rules), a client over its
 * export allowance (the guard answers the 429).
 */
export class ExportWirePath {
  private readonly prepared = new Map<string, { version: object; response: PreparedResponse }>();

  constructor(
    private readonly documents: WireDocuments,
    private readonly admits: Admission,
    private readonly observe: WireObserver = () => undefined,
  ) {}

  /** Serves the request and returns true, or returns false having written nothing. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || req.url === undefined) return false;
    const noneMatch = req.headers['if-none-match'];
    if (!noneMatch && req.headers['if-modified-since'] !== undefined) return false;
    const document = this.documents(req);
    if (document === null) return false;
    const prepared = this.lookup(document);
    if (prepared === undefined || !this.admits(req)) return false;
    const notModified = matchesEtag(noneMatch, prepared.etag);
    const headers = (notModified ? prepared.notModified : prepared.ok).slice();
    headers[1] = requestId(req);
    res.writeHead(notModified ? 304 : 200, headers);
    res.end(notModified ? undefined : prepared.body);
    this.observe(notModified ? 304 : 200);
    return true;
  }

  private lookup(document: WireDocument): PreparedResponse | undefined {
    const entry = this.prepared.get(document.key);
    if (entry !== undefined && entry.version === document.version) return entry.response;
    const served = document.served();
    if (served === null) return undefined;
    const response = prepareResponse(served);
    if (entry === undefined && this.prepared.size >= MAX_PREPARED) this.prepared.clear();
    this.prepared.set(document.key, { version: document.version, response });
    return response;
  }
}

/**
 * Headers in the route's order, then Content-Length as Express's `send`
 * adds it; a 304 carries the same headers without a length (as Node writes
 * Express's `res.status(304).end()`).
 */
export function prepareResponse(served: ServedDocument): PreparedResponse {
  const body = Buffer.from(served.body, 'utf8');
  const headers = served.headers.flatMap(([name, value]) => [name, value]);
  return {
    etag: served.etag,
    ok: [REQUEST_ID_HEADER, '', ...headers, 'Content-Length', String(body.length)],
    notModified: [REQUEST_ID_HEADER, '', ...headers],
    body,
  };
}
