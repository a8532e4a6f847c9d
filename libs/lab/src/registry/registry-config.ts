import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { stringify } from 'yaml';

export interface TokenAuthConfig {
  realm: string;
  service: string;
  issuer: string;
  /** PEM file with the certificate(s) whose keys may sign tokens. */
  rootCertBundlePath: string;
}

export interface RegistryTlsConfig {
  certificatePath: string;
  keyPath: string;
}

export interface RegistryConfigInput {
  dir: string;
  port: number;
  /** Pull-through cache mode: distribution fetches from here on a cache miss. */
  proxyRemoteUrl?: string;
  tokenAuth?: TokenAuthConfig;
  tls?: RegistryTlsConfig;
}

/**
 * Renders a distribution 2.8 config (docs/configuration.md). Health checks and
 * the debug server stay off: they would open extra ports and log noise; upload
 * purging is off so no background job touches the temp dir while we delete it.
 */
export function renderRegistryConfig(input: RegistryConfigInput): string {
  const config: Record<string, unknown> = {
    version: 0.1,
    log: { level: 'warn', formatter: 'text', accesslog: { disabled: true } },
    storage: {
      filesystem: { rootdirectory: join(input.dir, 'data') },
      maintenance: { uploadpurging: { enabled: false } },
      redirect: { disable: true },
    },
    http: {
      addr: `127.0.0.1:${input.port}`,
      // Without a secret every instance invents one and warns; uploads only need it stable per process.
      secret: randomBytes(16).toString('hex'),
      ...(input.tls ? { tls: { certificate: input.tls.certificatePath, key: input.tls.keyPath } } : {}),
    },
    health: { storagedriver: { enabled: false } },
  };
  if (input.proxyRemoteUrl) config['proxy'] = { remoteurl: input.proxyRemoteUrl };
  if (input.tokenAuth) {
    config['auth'] = {
      token: {
        realm: input.tokenAuth.realm,
        service: input.tokenAuth.service,
        issuer: input.tokenAuth.issuer,
        rootcertbundle: input.tokenAuth.rootCertBundlePath,
      },
    };
  }
  return stringify(config);
}
