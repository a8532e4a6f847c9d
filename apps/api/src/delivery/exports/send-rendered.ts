import type { Request, Response } from 'express';
import { NO_HEALTHY_MIRRORS_HEADER } from '@mirrorwatch/api-types';
import { matchesEtag } from '#infrastructure/http/etag.js';
import type { RenderedDocument } from './rendered-document.js';
import type { ExportQuery, ExportsService } from './exports.service.js';
import type { RecommendationScope } from './export-cache.service.js';
import { requestOrigin } from './request-origin.js';

/** The one warning text for every export (daemon.json, containerd, Podman, k3s all fall back to Docker Hub). */
export const NO_HEALTHY_MIRRORS_WARNING = 'no healthy mirror; clients will pull from Docker Hub directly';

export interface CachePolicy {
  /** `public` for fleet-wide documents, `private` for admin ones (they may name private mirrors). */
  visibility: 'public' | 'private';
  maxAgeSeconds: number;
}

/**
 * The one path every GET export takes, public or admin, daemon.json or any
 * other format: rendered and cached by ExportsService, sent by sendRendered.
 * Admin documents are `Cache-Control: private`: they may name a personal
 * accelerator URL, which no shared cache may keep.
 */
export function sendExport(req: Request, res: Response, exports: ExportsService, scope: RecommendationScope, format: string, query: ExportQuery): void {
  const document = exports.export(scope, format, query, requestOrigin(req));
  const cache: CachePolicy = { visibility: scope === 'admin' ? 'private' : 'public', maxAgeSeconds: exports.maxAgeSeconds() };
  sendRendered(req, res, document, cache, exports.costHeaders(scope, document));
}

/**
 * Writes a precomputed document with its validators. The warning header goes
 * on 304s too, so a client revalidating an empty list still learns why.
 */
export function sendRendered(
  req: Request,
  res: Response,
  document: RenderedDocument,
  cache: CachePolicy,
  extraHeaders: Readonly<Record<string, string>> = {},
): void {
  res.setHeader('Content-Type', document.contentType);
  for (const [name, value] of Object.entries(extraHeaders)) res.setHeader(name, value);
  res.setHeader('ETag', document.etag);
  res.setHeader('Cache-Control', `${cache.visibility}, max-age=${cache.maxAgeSeconds}`);
  if (document.computedAt) res.setHeader('Last-Modified', document.computedAt.toUTCString());
  if (document.mirrors?.length === 0) res.setHeader(NO_HEALTHY_MIRRORS_HEADER, NO_HEALTHY_MIRRORS_WARNING);
  if (matchesEtag(req.headers['if-none-match'], document.etag)) {
    res.status(304).end();
    return;
  }
  res.status(200).send(document.body);
}

/** A share of the probe interval: fleets re-fetch about as often as the recommendation can change. */
export function exportMaxAge(probeIntervalSeconds: number): number {
  return Math.max(5, Math.floor(probeIntervalSeconds / 2));
}
