import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderRegistryConfig, type RegistryConfigInput } from './registry-config.js';

/** The parts of a distribution config these tests read back. */
interface ParsedConfig {
  log: { level: string };
  storage: { filesystem: { rootdirectory: string } };
  http: { addr: string; debug?: unknown; tls?: unknown };
  health: { storagedriver: { enabled: boolean } };
  proxy?: unknown;
  auth?: { token: unknown };
}

const render = (input: RegistryConfigInput): ParsedConfig => parse(renderRegistryConfig(input)) as ParsedConfig;

describe('renderRegistryConfig', () => {
  it('listens on loopback with filesystem storage in the given dir, quiet logs and no health checks', () => {
    const config = render({ dir: '/tmp/x', port: 5000 });
    expect(config.http.addr).toBe('127.0.0.1:5000');
    expect(config.http.debug).toBeUndefined();
    expect(config.storage.filesystem.rootdirectory).toBe('/tmp/x/data');
    expect(config.log.level).toBe('warn');
    expect(config.health.storagedriver.enabled).toBe(false);
    expect(config.proxy).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  it('adds proxy, token auth and tls sections when asked', () => {
    const config = render({
      dir: '/tmp/x',
      port: 5000,
      proxyRemoteUrl: 'http://127.0.0.1:1',
      tokenAuth: { realm: 'http://127.0.0.1:2/token', service: 's', issuer: 'i', rootCertBundlePath: '/tmp/c.pem' },
      tls: { certificatePath: '/tmp/t.pem', keyPath: '/tmp/t.key' },
    });
    expect(config.proxy).toEqual({ remoteurl: 'http://127.0.0.1:1' });
    expect(config.auth?.token).toEqual({ realm: 'http://127.0.0.1:2/token', service: 's', issuer: 'i', rootcertbundle: '/tmp/c.pem' });
    expect(config.http.tls).toEqual({ certificate: '/tmp/t.pem', key: '/tmp/t.key' });
  });
});
