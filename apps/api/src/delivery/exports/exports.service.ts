import { Inject, Injectable } from '@nestjs/common';
import {
  EXPECTED_PULL_MS_HEADER,
  isExportFormat,
  RECOMMENDED_COUNT_HEADER,
  RECOMMENDED_COUNT_MAX,
  RECOMMENDED_COUNT_MIN,
} from '@mirrorwatch/api-types';
import { mergeDaemonJson, renderHttpProxyDropIn } from '@mirrorwatch/exports';
import { parseIntegerParam } from '#infrastructure/http/query-parsers.js';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { APP_CONFIG, type AppConfig } from '#infrastructure/configuration/app-config.js';
import type { RecommendationSource } from '#ranking/recommendation-source.js';
import { ExportCacheService } from './export-cache.service.js';
import { toRequestError, UnknownExportFormatException } from './export-request-errors.js';
import { strongEtag } from '#infrastructure/http/etag.js';
import type { RenderedDocument } from './rendered-document.js';
import { exportMaxAge } from './send-rendered.js';

export interface ExportQuery {
  count?: unknown;
  /** Read by ExportAudiences, not here: whose list it is. */
  vantage?: unknown;
  httpProxy?: unknown;
  httpsProxy?: unknown;
  noProxy?: unknown;
}

/** Every config export: parameter checks, the cache, and the renderers' errors turned into 400s. */
@Injectable()
export class ExportsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly cache: ExportCacheService,
  ) {}

  /** `requestOrigin` is used only when PUBLIC_URL is unset (install script usage line). */
  export(source: RecommendationSource, format: string, query: ExportQuery, requestOrigin: string): RenderedDocument {
    if (!isExportFormat(format)) throw new UnknownExportFormatException(format);
    if (format === 'http-proxy-conf') return this.httpProxyDropIn(query);
    const count = this.parseCount(source, query.count);
    try {
      return this.cache.get(source, format, count, this.config.publicUrl ?? requestOrigin);
    } catch (error) {
      throw toRequestError(error);
    }
  }

  /** The host's daemon.json with `registry-mirrors` replaced and every other key kept. */
  mergeDaemonJson(source: RecommendationSource, existing: string, countParam: unknown): string {
    const count = this.parseCount(source, countParam);
    try {
      return mergeDaemonJson(existing, source.recommendation(count).mirrors);
    } catch (error) {
      throw toRequestError(error);
    }
  }

  /** What a served recommendation costs a pull, and the length mirrorwatch would pick: headers for fleets and the export page. */
  costHeaders(source: RecommendationSource, document: Pick<RenderedDocument, 'mirrors'>): Record<string, string> {
    if (document.mirrors === null) return {};
    return {
      [EXPECTED_PULL_MS_HEADER]: String(source.expectedPullMs(document.mirrors)),
      [RECOMMENDED_COUNT_HEADER]: String(source.recommendedCount()),
    };
  }

  /** A share of the probe interval: fleets re-fetch about as often as the recommendation can change. */
  maxAgeSeconds(): number {
    return exportMaxAge(this.config.probeIntervalSeconds);
  }

  /** `count` overrides the recommended length; without it the list stops where one more mirror no longer pays for itself. */
  parseCount(source: RecommendationSource, raw: unknown): number {
    return parseIntegerParam('count', raw, {
      min: RECOMMENDED_COUNT_MIN,
      max: RECOMMENDED_COUNT_MAX,
      fallback: source.recommendedCount(),
    });
  }

  private httpProxyDropIn(query: ExportQuery): RenderedDocument {
    const options = {
      httpProxy: optionalString('httpProxy', query.httpProxy),
      httpsProxy: optionalString('httpsProxy', query.httpsProxy),
      noProxy: optionalString('noProxy', query.noProxy),
    };
    let body: string;
    try {
      body = renderHttpProxyDropIn(options);
    } catch (error) {
      throw toRequestError(error);
    }
    return { body, contentType: 'text/plain; charset=utf-8', etag: strongEtag(body), mirrors: null, computedAt: null };
  }
}

/** Express turns `?a=1&a=2` into an array: refuse it rather than pick one. */
function optionalString(field: string, raw: unknown): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string') throw new InvalidParameterException(field, 'must be given once, as a string');
  return raw;
}
