import type { Request, Response } from 'express';
import { NO_HEALTHY_MIRRORS_HEADER } from '@mirrorwatch/api-types';
import type { RenderedDocument } from './rendered-document.js';
import type { ExportQuery, ExportsService } from './exports.service.js';
import type { ExportAudience } from './export-audience.js';
import { requestOrigin } from './request-origin.js';
import { sendServed, type ServedDocument } from './served-document.js';

/** The one warning text for every export (daemon.json, containerd, Podman, k3s all fall back to Docker Hub). */
export const NO_HEALTHY_MIRRORS_WARNING = 'no healthy mirror; clients will pull from Docker Hub directly';

/** Which vantage's measurements the served list comes from: on every export, public or admin. */
export const VANTAGE_HEADER = 'X-Mirrorwatch-Vantage';

export interface CachePolicy {
  /**
   * `public` for fleet-wide documents; `private` for admin ones (they may name
   * private mirrors) and for lists chosen by the client's address
   * (VANTAGE_BY_CIDR), which a shared cache must not hand to another network.
   */
  visibility: 'public' | 'private';
  maxAgeSeconds: number;
}

/**
 * The one path every GET export takes, public or admin, local or remote
 * vantage, daemon.json or any other format: rendered and cached by
 * ExportsService, sent by sendServed.
 */
export function sendExport(
  req: Request,
  res: Response,
  exports: ExportsService,
  audience: ExportAudience,
  format: string,
  query: ExportQuery,
): void {
  sendServed(req, res, servedExport(exports, audience, format, query, requestOrigin(req)));
}

/**
 * An export as served: the cached document with its cache policy, its
 * vantage and cost headers. The export wire path (export-wire-path.ts)
 * prepares its bytes from the very same value, so both paths answer alike.
 */
export function servedExport(
  exports: ExportsService,
  audience: ExportAudience,
  format: string,
  query: ExportQuery,
  origin: string,
): ServedDocument {
  const document = exports.export(audience.source, format, query, origin);
  const cache: CachePolicy = { visibility: audience.visibility, maxAgeSeconds: exports.maxAgeSeconds() };
  return renderedDocument(document, cache, {
    [VANTAGE_HEADER]: audience.source.vantage,
    ...exports.costHeaders(audience.source, document),
  });
}

/**
 * The headers of a precomputed document with its validators, in the order
 * they are written. The warning header goes on 304s too, so a client
 * revalidating an empty list still learns why.
 */
export function renderedDocument(
  document: RenderedDocument,
  cache: CachePolicy,
  extraHeaders: Readonly<Record<string, string>> = {},
): ServedDocument {
  const headers: Array<[string, string]> = [['Content-Type', document.contentType], ...Object.entries(extraHeaders)];
  headers.push(['ETag', document.etag], ['Cache-Control', `${cache.visibility}, max-age=${cache.maxAgeSeconds}`]);
  if (document.computedAt) headers.push(['Last-Modified', document.computedAt.toUTCString()]);
  if (document.mirrors?.length === 0) headers.push([NO_HEALTHY_MIRRORS_HEADER, NO_HEALTHY_MIRRORS_WARNING]);
  return { headers, etag: document.etag, body: document.body };
}

/** A share of the probe interval: fleets re-fetch about as often as the recommendation can change. */
export function exportMaxAge(probeIntervalSeconds: number): number {
  return Math.max(5, Math.floor(probeIntervalSeconds / 2));
}
