import { normalizeMirrorUrl } from '@mirrorwatch/catalog';
import { DOCKER_HUB_REGISTRY, parseUpstreamHost } from '@mirrorwatch/domain';

/**
 * Parses `UPSTREAM_REFERENCE_URLS`: `registry=url` pairs, comma-separated
 * (`ghcr.io=https://ghcr.example.internal`), overriding where the freshness
 * reference of each non-Docker-Hub upstream is asked (default: the registry
 * itself, libs/domain UPSTREAM_REGISTRIES). Docker Hub keeps its own variable,
 * REFERENCE_REGISTRY_URL. Throws an Error naming the faulty pair.
 */
export function parseUpstreamReferenceUrls(text: string): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const pair of text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part !== '')) {
    const equals = pair.indexOf('=');
    if (equals < 1) throw new Error(`"${pair}" is not registry=url (for example ghcr.io=https://ghcr.io)`);
    const upstream = parseUpstreamHost(pair.slice(0, equals));
    if (!upstream.ok) throw new Error(`"${pair}": ${upstream.reason}`);
    if (upstream.host === DOCKER_HUB_REGISTRY) throw new Error(`"${pair}": set Docker Hub's reference with REFERENCE_REGISTRY_URL`);
    if (urls[upstream.host] !== undefined) throw new Error(`"${pair}": ${upstream.host} is given twice`);
    const url = normalizeMirrorUrl(pair.slice(equals + 1));
    if (!url.ok) throw new Error(`"${pair}": ${url.reason}`);
    urls[upstream.host] = url.url;
  }
  return urls;
}
