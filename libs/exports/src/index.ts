export { InvalidMirrorError, DaemonJsonError, DaemonJsonTooLargeError, ProxyConfigError, InstallScriptError, type ProxyField } from './export-errors.js';
export { prepareMirrors } from './mirror-list.js';
export { renderDaemonJson, mergeDaemonJson, DAEMON_JSON_MAX_CHARS, DAEMON_JSON_MAX_DEPTH } from './daemon-json.js';
export { renderContainerdHostsToml } from './containerd-hosts-toml.js';
export { renderRegistriesConf } from './registries-conf.js';
export { renderK3sRegistriesYaml } from './k3s-registries-yaml.js';
export { renderInstallScript, type InstallScriptOptions } from './install-script.js';
export { renderHttpProxyDropIn, type HttpProxyOptions } from './http-proxy-drop-in.js';
