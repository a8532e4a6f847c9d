import type { Request, Response } from 'express';
import { matchesEtag } from '#infrastructure/http/etag.js';

/**
 * A document as one route serves it: the headers in the order the route
 * sets them, the validator and the body. The controllers write it through
 * Express (`sendServed`); the export wire path (export-wire-path.ts) turns
 * the very same value into prebuilt bytes, so both paths send the same
 * response by construction.
 */
export interface ServedDocument {
  headers: ReadonlyArray<readonly [name: string, value: string]>;
  etag: string;
  body: string;
}

/** 304 on a matching `If-None-Match`, with every header (a warning included), else 200 with the body. */
export function sendServed(req: Request, res: Response, served: ServedDocument): void {
  for (const [name, value] of served.headers) res.setHeader(name, value);
  if (matchesEtag(req.headers['if-none-match'], served.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).send(served.body);
}
