import { NO_HEALTHY_MIRRORS_HEADER } from '@mirrorwatch/api-types';
import type { ExportAudience } from './export-audience.js';
import { renderedDocument, VANTAGE_HEADER } from './send-rendered.js';
import type { ServedDocument } from './served-document.js';
import type { UpstreamExportFormat, UpstreamExportsService } from './upstream-exports.service.js';

export interface UpstreamExportRequest {
  format: UpstreamExportFormat;
  /** Parsed by UpstreamExportsService.parseRegistry / parseCount. */
  registry: string;
  count: number | null;
  /** This server's origin (the containerd install script names it). */
  serverUrl: string;
  maxAgeSeconds: number;
}

/**
 * A per-upstream export as served: the cached document with its vantage and
 * warning headers. The controller sends it through Express; the export wire
 * path prepares its bytes from the very same value, so both answer alike.
 */
export function servedUpstreamExport(
  exports: UpstreamExportsService,
  audience: ExportAudience,
  request: UpstreamExportRequest,
): ServedDocument {
  const { source, visibility } = audience;
  const document = exports.render(source, request.format, request.registry, request.count, request.serverUrl);
  const headers: Record<string, string> = { [VANTAGE_HEADER]: source.vantage };
  if (document.warning) headers[NO_HEALTHY_MIRRORS_HEADER] = document.warning;
  return renderedDocument(document, { visibility, maxAgeSeconds: request.maxAgeSeconds }, headers);
}
