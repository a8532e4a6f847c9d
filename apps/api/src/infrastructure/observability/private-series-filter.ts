/** The `mirror` label of a sample line; ids are slugs or `private-<hex>`, so no escaping is involved. */
const MIRROR_LABEL = /[{,]mirror="([^"\\]*)"[,}]/;

/**
 * Drops every sample labelled with a private mirror from a Prometheus text
 * exposition. HELP and TYPE lines stay: they name metrics, not mirrors.
 * Filtering the rendered text (rather than keeping two registries) keeps one
 * set of metric objects and cannot miss a metric added later.
 */
export function withoutPrivateSeries(exposition: string, isPrivate: (mirrorId: string) => boolean): string {
  return exposition
    .split('\n')
    .filter((line) => {
      if (line.startsWith('#')) return true;
      const match = MIRROR_LABEL.exec(line);
      return match === null || !isPrivate(match[1] as string);
    })
    .join('\n');
}
