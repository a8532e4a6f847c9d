import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { renderRegistryConfig } from './registry-config.js';

describe('renderRegistryConfig', () => {
  it('listens on loopback with filesystem storage in the given dir, quiet logs and no health checks', () => {
    const config = parse(renderRegistryConfig({ dir: '/tmp/x', port: 5000 })) as Record<string, any>;
    expect(config.http.addr).toBe('127.0.0.1:5000');
    expect(config.http.debug).toBeUndefined();
    expect(config.storage.filesystem.rootdirectory).toBe('/tmp/x/data');
    expect(config.log.level).toBe('warn');
    expect(config.health.storagedriver.enabled).toBe(false);
    expect(config.proxy).toBeUndefined();
    expect(config.auth).toBeUndefined();
  });

  it('adds proxy, token auth and tls sections when asked', () => {
    const config = parse(
      renderRegistryConfig({
        dir: '/tmp/x',
        port: 5000,
        proxyRemoteUrl: 'http://127.0.0.1:1',
        tokenAuth: { realm: 'http://127.0.0.1:2/token', service: 's', issuer: 'i', rootCertBundlePath: '/tmp/c.pem' },
        tls: { certificatePath: '/tmp/t.pem', keyPath: '/tmp/t.key' },
      }),
    ) as Record<string, any>;
    expect(config.proxy).toEqual({ remoteurl: 'http://127.0.0.1:1' });
    expect(config.auth.token).toEqual({ realm: 'http://127.0.0.1:2/token', service: 's', issuer: 'i', rootcertbundle: '/tmp/c.pem' });
    expect(config.http.tls).toEqual({ certificate: '/tmp/t.pem', key: '/tmp/t.key' });
  });
});
