import { Injectable } from '@nestjs/common';
import { EXPORT_FORMAT_INFO } from '@mirrorwatch/api-types';
import type { RecommendationSource } from '#ranking/recommendation-source.js';
import { renderRecommendationExport, type RecommendationFormat } from './render-export.js';
import { strongEtag } from '#infrastructure/http/etag.js';
import type { RenderedDocument } from './rendered-document.js';

export type RecommendationScope = 'public' | 'admin';

/**
 * Distinct install-script origins kept per source, format and count. The
 * origin comes from the Host header when PUBLIC_URL is unset, so the cache
 * must not grow with whatever hosts clients send; sources are bounded by the
 * live vantages (an unknown one is refused before it gets here).
 */
const MAX_ENTRIES = 1024;

interface CacheEntry {
  /** ETag of the recommendation the document was rendered from. */
  sourceEtag: string;
  document: RenderedDocument;
}

/**
 * Renders each export once per change of the recommendation it comes from
 * (the ranking is rebuilt once per probe cycle and its documents keep their
 * ETag when nothing changed), then serves it from memory: provisioning runs
 * on whole fleets hit this path, and rendering TOML/YAML per request is waste.
 */
@Injectable()
export class ExportCacheService {
  private readonly entries = new Map<string, CacheEntry>();

  get(from: RecommendationSource, format: RecommendationFormat, count: number, serverUrl: string): RenderedDocument {
    const source = from.recommendation(count);
    // Per source (public, admin, each remote vantage): their lists differ, and so do their validators.
    const key = `${from.cacheKey}|${format}|${count}|${format === 'install-sh' ? serverUrl : ''}`;
    const cached = this.entries.get(key);
    if (cached && cached.sourceEtag === source.etag) return cached.document;
    const body = renderRecommendationExport(format, source.mirrors, { serverUrl });
    const document: RenderedDocument = {
      body,
      contentType: `${EXPORT_FORMAT_INFO[format].contentType}; charset=utf-8`,
      etag: strongEtag(body),
      mirrors: source.mirrors,
      computedAt: source.computedAt,
    };
    if (!this.entries.has(key) && this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { sourceEtag: source.etag, document });
    return document;
  }
}
