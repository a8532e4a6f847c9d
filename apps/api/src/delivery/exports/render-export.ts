import type { ExportFormat } from '@mirrorwatch/api-types';
import {
  renderContainerdHostsToml,
  renderDaemonJson,
  renderInstallScript,
  renderK3sRegistriesYaml,
  renderRegistriesConf,
} from '@mirrorwatch/exports';

/** The formats whose body depends only on the recommendation (http-proxy-conf depends on its query). */
export type RecommendationFormat = Exclude<ExportFormat, 'http-proxy-conf'>;

export interface RenderContext {
  /** Origin of this server, for the install script's header and usage line. */
  serverUrl: string;
}

/**
 * One switch over every recommendation format, exhaustive so a format added
 * to EXPORT_FORMATS does not compile until it is rendered here. Docker
 * Desktop's Settings -> Docker Engine editor takes the daemon.json content.
 */
export function renderRecommendationExport(format: RecommendationFormat, mirrors: readonly string[], context: RenderContext): string {
  switch (format) {
    case 'daemon-json':
    case 'docker-desktop':
      return renderDaemonJson(mirrors);
    case 'containerd-hosts-toml':
      return renderContainerdHostsToml(mirrors);
    case 'registries-conf':
      return renderRegistriesConf(mirrors);
    case 'k3s-registries-yaml':
      return renderK3sRegistriesYaml(mirrors);
    case 'install-sh':
      return renderInstallScript({ mirrors, serverUrl: context.serverUrl });
    default: {
      const unreachable: never = format;
      throw new TypeError(`unhandled export format ${String(unreachable)}`);
    }
  }
}
