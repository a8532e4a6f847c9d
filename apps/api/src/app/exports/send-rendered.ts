import type { Request, Response } from 'express';
import { NO_HEALTHY_MIRRORS_HEADER } from '@mirrorwatch/api-types';
import type { RenderedDocument } from './rendered-document.js';
import { sendServed, type ServedDocument } from './served-document.js';

export const NO_HEALTHY_MIRRORS_WARNING = 'no healthy mirror; clients will pull from Docker Hub directly';

export interface CachePolicy {
  /** `public` for fleet-wide documents, `private` for admin ones (they may name private mirrors). */
  visibility: 'public' | 'private';
  maxAgeSeconds: number;
}

/**
 * The headers of a precomputed document with its validators. The warning
 * header goes on 304s too, so a client revalidating an empty list still
 * learns why.
 */
export function renderedDocument(document: RenderedDocument, cache: CachePolicy, extraHeaders: Readonly<Record<string, string>> = {}): ServedDocument {
  const headers: Array<[string, string]> = [['Content-Type', document.contentType], ...Object.entries(extraHeaders)];
  headers.push(['ETag', document.etag], ['Cache-Control', `${cache.visibility}, max-age=${cache.maxAgeSeconds}`]);
  if (document.computedAt) headers.push(['Last-Modified', document.computedAt.toUTCString()]);
  if (document.mirrors?.length === 0) headers.push([NO_HEALTHY_MIRRORS_HEADER, NO_HEALTHY_MIRRORS_WARNING]);
  return { headers, etag: document.etag, body: document.body };
}

/** Writes a precomputed document with its validators (304 on a matching `If-None-Match`). */
export function sendRendered(
  req: Request,
  res: Response,
  document: RenderedDocument,
  cache: CachePolicy,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  sendServed(req, res, renderedDocument(document, cache, extraHeaders));
}

/** A share of the probe interval: fleets re-fetch about as often as the recommendation can change. */
export function exportMaxAge(probeIntervalSeconds: number): number {
  return Math.max(5, Math.floor(probeIntervalSeconds / 2));
}
