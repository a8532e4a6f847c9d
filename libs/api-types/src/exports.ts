/**
 * `GET /api/export/<format>?count=N`: the current recommendation rendered for
 * one client, as text (what `curl` saves straight to disk). Like
 * `/api/recommended-daemon.json`, an empty recommendation is still valid
 * output, flagged with the `X-Mirrorwatch-Warning` header, never a 5xx.
 * `http-proxy-conf` ignores `count` and takes `httpProxy`, `httpsProxy` and
 * `noProxy` (comma-separated) query parameters, as the exports library's
 * `HttpProxyOptions`; at least one of the two proxies (else 400).
 */
export const EXPORT_FORMATS = [
  'daemon-json',
  'docker-desktop',
  'containerd-hosts-toml',
  'registries-conf',
  'k3s-registries-yaml',
  'install-sh',
  'http-proxy-conf',
] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export function isExportFormat(value: unknown): value is ExportFormat {
  return typeof value === 'string' && (EXPORT_FORMATS as readonly string[]).includes(value);
}

export interface ExportFormatInfo {
  contentType: string;
  /** Where the output goes on the target host (shown next to the preview). */
  targetPath: string;
  /** Whether `count` changes the output. */
  usesCount: boolean;
}

export const EXPORT_FORMAT_INFO: Record<ExportFormat, ExportFormatInfo> = {
  'daemon-json': { contentType: 'application/json', targetPath: '/etc/docker/daemon.json', usesCount: true },
  'docker-desktop': { contentType: 'application/json', targetPath: 'Settings → Docker Engine', usesCount: true },
  'containerd-hosts-toml': {
    contentType: 'application/toml',
    targetPath: '/etc/containerd/certs.d/docker.io/hosts.toml',
    usesCount: true,
  },
  'registries-conf': { contentType: 'text/plain', targetPath: '/etc/containers/registries.conf.d/mirrorwatch.conf', usesCount: true },
  'k3s-registries-yaml': { contentType: 'application/yaml', targetPath: '/etc/rancher/k3s/registries.yaml', usesCount: true },
  'install-sh': { contentType: 'text/x-shellscript', targetPath: 'sudo bash', usesCount: true },
  'http-proxy-conf': {
    contentType: 'text/plain',
    targetPath: '/etc/systemd/system/docker.service.d/http-proxy.conf',
    usesCount: false,
  },
};

/** Bounds of `count` on every recommendation endpoint. */
export const RECOMMENDED_COUNT_MIN = 1;
export const RECOMMENDED_COUNT_MAX = 10;
export const RECOMMENDED_COUNT_DEFAULT = 3;

/** Query of `GET /api/export/http-proxy-conf` (names as in the exports library's HttpProxyOptions). */
export interface HttpProxyQuery {
  httpProxy?: string;
  httpsProxy?: string;
  noProxy?: string;
}

export function exportPath(format: ExportFormat, count: number, proxy: HttpProxyQuery = {}): string {
  if (format === 'http-proxy-conf') {
    const params = new URLSearchParams();
    for (const key of ['httpProxy', 'httpsProxy', 'noProxy'] as const) {
      const value = proxy[key];
      if (value) params.set(key, value);
    }
    const query = params.toString();
    return query === '' ? `/api/export/${format}` : `/api/export/${format}?${query}`;
  }
  return `/api/export/${format}?count=${count}`;
}
