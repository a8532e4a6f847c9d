import { Injectable } from '@nestjs/common';
import { RECOMMENDED_COUNT_MAX, RECOMMENDED_COUNT_MIN } from '@mirrorwatch/api-types';
import { DOCKER_HUB_REGISTRY, parseUpstreamHost, UPSTREAM_HOSTS } from '@mirrorwatch/domain';
import {
  renderContainerdInstallScript,
  renderHostsToml,
  renderK3sRegistriesYamlForUpstreams,
  renderRegistriesConfForUpstreams,
} from '@mirrorwatch/exports';
import { InvalidParameterException } from '#infrastructure/http/invalid-parameter.exception.js';
import { parseIntegerParam } from '#infrastructure/http/query-parsers.js';
import type { RecommendationSource } from '#ranking/recommendation-source.js';
import { strongEtag } from '#infrastructure/http/etag.js';
import type { RenderedDocument } from './rendered-document.js';

export type UpstreamExportFormat = 'hosts-toml' | 'registries-conf' | 'registries-yaml' | 'install-containerd-sh';

const CONTENT_TYPES: Record<UpstreamExportFormat, string> = {
  'hosts-toml': 'application/toml; charset=utf-8',
  'registries-conf': 'application/toml; charset=utf-8',
  'registries-yaml': 'application/yaml; charset=utf-8',
  'install-containerd-sh': 'text/x-shellscript; charset=utf-8',
};

const NO_MIRRORS_WARNING = 'no healthy mirror of any registry; clients will pull from each registry directly';

export interface UpstreamDocument extends RenderedDocument {
  /** For X-Mirrorwatch-Warning when no mirror made it into the document. */
  warning: string | null;
}

/** Keys are bounded (sources x formats x known registries x counts x origins), but origins come from Host headers: cap anyway. */
const MAX_ENTRIES = 2048;

/**
 * The per-upstream exports (containerd hosts.toml, registries.conf and k3s
 * registries.yaml with every upstream, the containerd install script):
 * parameters checked into 400s naming them, each document rendered once per
 * ranking rebuild and served from memory with a strong ETag, as the Docker
 * Hub exports are.
 */
@Injectable()
export class UpstreamExportsService {
  private readonly entries = new Map<string, { generation: string; document: UpstreamDocument }>();

  /** `registry` as a query gives it: absent means Docker Hub; anything but one known host is a 400 naming `registry`. */
  parseRegistry(raw: unknown): string {
    if (raw === undefined) return DOCKER_HUB_REGISTRY;
    if (typeof raw !== 'string') throw new InvalidParameterException('registry', 'must be given once');
    const parsed = parseUpstreamHost(raw);
    if (!parsed.ok) throw new InvalidParameterException('registry', parsed.reason);
    return parsed.host;
  }

  /** `count` caps each upstream's list; without it each upstream's recommended length. */
  parseCount(raw: unknown): number | null {
    if (raw === undefined) return null;
    return parseIntegerParam('count', raw, { min: RECOMMENDED_COUNT_MIN, max: RECOMMENDED_COUNT_MAX, fallback: RECOMMENDED_COUNT_MIN });
  }

  render(
    source: RecommendationSource,
    format: UpstreamExportFormat,
    registry: string,
    count: number | null,
    serverUrl: string,
  ): UpstreamDocument {
    const key = `${source.cacheKey}|${format}|${registry}|${count ?? ''}|${format === 'install-containerd-sh' ? serverUrl : ''}`;
    const cached = this.entries.get(key);
    if (cached && cached.generation === source.generation) return cached.document;
    const { body, mirrors } = this.renderBody(source, format, registry, count, serverUrl);
    // `mirrors: null` keeps renderedDocument's Docker Hub wording off these documents; the warning names the registry instead.
    const warning =
      mirrors.length > 0
        ? null
        : format === 'hosts-toml'
          ? `no healthy mirror of ${registry}; clients will pull from ${registry} directly`
          : NO_MIRRORS_WARNING;
    const document: UpstreamDocument = {
      body,
      contentType: CONTENT_TYPES[format],
      etag: strongEtag(body),
      mirrors: null,
      computedAt: source.builtAt,
      warning,
    };
    if (!this.entries.has(key) && this.entries.size >= MAX_ENTRIES) this.entries.clear();
    this.entries.set(key, { generation: source.generation, document });
    return document;
  }

  private renderBody(
    source: RecommendationSource,
    format: UpstreamExportFormat,
    registry: string,
    count: number | null,
    serverUrl: string,
  ): { body: string; mirrors: string[] } {
    if (format === 'hosts-toml') {
      const endpoints = source.upstreamRecommendation(registry, count);
      return { body: renderHostsToml(registry, endpoints), mirrors: endpoints.map(endpointText) };
    }
    const upstreams = UPSTREAM_HOSTS.map((upstream) => ({
      upstream,
      mirrors: source.upstreamRecommendation(upstream, count),
    }));
    const mirrors = upstreams.flatMap((entry) => entry.mirrors.map(endpointText));
    switch (format) {
      case 'registries-conf':
        return { body: renderRegistriesConfForUpstreams(upstreams), mirrors };
      case 'registries-yaml':
        return { body: renderK3sRegistriesYamlForUpstreams(upstreams), mirrors };
      case 'install-containerd-sh':
        return { body: renderContainerdInstallScript({ upstreams, serverUrl }), mirrors };
      default: {
        const unreachable: never = format;
        throw new TypeError(`unhandled upstream export ${String(unreachable)}`);
      }
    }
  }
}

function endpointText(endpoint: { url: string; pathPrefix: string | null }): string {
  return endpoint.pathPrefix ? `${endpoint.url}/${endpoint.pathPrefix}` : endpoint.url;
}
