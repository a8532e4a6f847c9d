import type { Request, Response } from 'express';
import { matchesEtag, strongEtag } from './etag.js';

/** A JSON answer serialised once: its bytes and a strong validator over them. */
export interface PreparedJson {
  body: Buffer;
  etag: string;
}

/**
 * Reads that are computed once per data generation (the ranking, the status
 * summary, the sparklines, a mirror's history) hand out the same object until
 * their inputs change; its bytes are made once per object here, instead of
 * Express serialising and hashing a hundred kilobytes per visitor. Keyed by
 * the object itself, so nothing outlives the value it was made from.
 */
const prepared = new WeakMap<object, PreparedJson>();

export function preparedJsonOf(value: object): PreparedJson {
  let result = prepared.get(value);
  if (result === undefined) {
    const body = Buffer.from(JSON.stringify(value), 'utf8');
    result = { body, etag: strongEtag(body) };
    prepared.set(value, result);
  }
  return result;
}

/**
 * Sends a generation's JSON with its ETag; a matching `If-None-Match` gets a
 * 304. `no-cache`: clients keep it but revalidate each time, since the next
 * probe cycle may change it at any moment.
 */
export function sendPreparedJson(req: Request, res: Response, value: object): void {
  const { body, etag } = preparedJsonOf(value);
  res.setHeader('ETag', etag);
  res.setHeader('Cache-Control', 'no-cache');
  if (matchesEtag(req.headers['if-none-match'], etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', String(body.length));
  res.end(body);
}
