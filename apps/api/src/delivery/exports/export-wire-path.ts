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

/** What the wire path serves: the routes' documents, and a number that changes whenever any of them may have. */
export interface WireDocuments {
  /** Changes on every ranking rebuild: prepared responses of an older generation are dropped. */
  generation(): number;
  /** The document a URL (path and query as sent) is served, or null when the request must go through Nest. */
  served(url: string): ServedDocument | null;
}

/** Whether a request may be served now (the export tier's per-client bound); false sends it to Nest, which answers 429. */
export type Admission = (req: IncomingMessage) => boolean;

/**
 * The exports at wire speed. Fleets fetch `recommended-daemon.json` and the
 * other exports far more often than they change (once per probe cycle), and
 * through Express and Nest a request cost ~250 µs of routing, guards and
 * header writing for a body already in memory. Here the response of each
 * URL is prepared once per ranking rebuild (headers, ETag, Content-Length,
 * body bytes) and written before Express sees the request: a map lookup,
 * the rate-limit bucket and one write.
 *
 * Anything unusual falls through to the ordinary route, so the answer is
 * the same by construction: another method, a URL that is not exactly one
 * of the canonical forms (`?count=03`, extra parameters), `If-Modified-Since`
 * without `If-None-Match` (Express's freshness rules), a client over its
 * export allowance (the guard answers the 429).
 */
export class ExportWirePath {
  private generation = Number.NaN;
  private readonly prepared = new Map<string, PreparedResponse>();

  constructor(
    private readonly documents: WireDocuments,
    private readonly admits: Admission,
  ) {}

  /** Serves the request and returns true, or returns false having written nothing. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' || req.url === undefined) return false;
    const noneMatch = req.headers['if-none-match'];
    if (!noneMatch && req.headers['if-modified-since'] !== undefined) return false;
    const prepared = this.lookup(req.url);
    if (prepared === undefined || !this.admits(req)) return false;
    const notModified = matchesEtag(noneMatch, prepared.etag);
    const headers = (notModified ? prepared.notModified : prepared.ok).slice();
    headers[1] = requestId(req);
    res.writeHead(notModified ? 304 : 200, headers);
    res.end(notModified ? undefined : prepared.body);
    return true;
  }

  lookup(url: string): PreparedResponse | undefined {
    const generation = this.documents.generation();
    if (generation !== this.generation) {
      this.prepared.clear();
      this.generation = generation;
    }
    let prepared = this.prepared.get(url);
    if (prepared === undefined) {
      const served = this.documents.served(url);
      if (served === null) return undefined;
      prepared = prepareResponse(served);
      // Only canonical URLs get here (a bounded set: formats × counts), so the map cannot grow with what clients send.
      this.prepared.set(url, prepared);
    }
    return prepared;
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
