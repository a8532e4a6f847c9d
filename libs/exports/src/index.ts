export {
  InvalidMirrorError,
  DaemonJsonError,
  DaemonJsonTooLargeError,
  ProxyConfigError,
  InstallScriptError,
  type ProxyField,
} from './export-errors.js';
export { prepareMirrors } from './mirror-list.js';
export { renderDaemonJson, mergeDaemonJson, DAEMON_JSON_MAX_CHARS, DAEMON_JSON_MAX_DEPTH } from './daemon-json.js';
export { renderContainerdHostsToml } from './containerd-hosts-toml.js';
export { renderRegistriesConf } from './registries-conf.js';
export { renderK3sRegistriesYaml } from './k3s-registries-yaml.js';
export { renderInstallScript, type InstallScriptOptions } from './install-script.js';
export { renderHttpProxyDropIn, type HttpProxyOptions } from './http-proxy-drop-in.js';
export { renderHostsToml } from './containerd-hosts-toml.js';
export { renderRegistriesConfForUpstreams, renderK3sRegistriesYamlForUpstreams } from './upstream-client-configs.js';
export { InvalidUpstreamError, type MirrorEndpoint, type UpstreamMirrors } from './upstream-endpoints.js';
export { renderContainerdInstallScript, type ContainerdInstallScriptOptions } from './containerd-install-script.js';
