import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load-config.js';

describe('loadConfig', () => {
  it('applies defaults on an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.probeIntervalSeconds).toBe(60);
    expect(config.catalogPath).toMatch(/config\/mirrors\.yaml$/);
    expect(config.databaseUrl).toMatch(/^file:\/.*data\/mirrorwatch\.db$/);
    expect(config.adminToken).toBeNull();
    expect(config.rollupBusyPercent).toBe(25);
    expect(config.dashboardIdleStopSeconds).toBe(300);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['PROBE_INTERVAL_SECONDS', '0'],
    ['PROBE_INTERVAL_SECONDS', '1.5'],
    ['PROBE_CONCURRENCY', '-1'],
    ['ADMIN_TOKEN', 'short'],
    ['LOG_LEVEL', 'loud'],
    ['MIRRORWATCH_SERVE_WEB', 'maybe'],
    ['COVERAGE_IMAGES', 'UPPER/case:1'],
    ['COVERAGE_IMAGES', 'quay.io/x/y:1'],
    ['COVERAGE_IMAGES', 'alpine:1=linux'],
    ['IMAGE_LOOKUP_CACHE_SECONDS', '-1'],
    ['REFERENCE_REGISTRY_URL', 'https://registry-1.docker.io/v2/'],
    ['DEEP_PROBE_MAX_BYTES', '10'],
    ['RECOMMENDATION_LATENCY_MARGIN', '1.5'],
    ['RECOMMENDATION_LATENCY_MARGIN', '-0.1'],
    ['PRIVATE_NETWORK_HOSTS', 'https://mirror.corp.example'],
    ['PRIVATE_NETWORK_HOSTS', 'mirror.corp.example:5000'],
    ['ALLOW_PRIVATE_CHECK_TARGETS', 'sometimes'],
    ['ROLLUP_BUSY_PERCENT', '0'],
    ['ROLLUP_BUSY_PERCENT', '101'],
    ['ROLLUP_BUSY_PERCENT', '12.5'],
    ['DASHBOARD_IDLE_STOP_SECONDS', '30'],
    ['DASHBOARD_IDLE_STOP_SECONDS', '-1'],
    ['DASHBOARD_IDLE_STOP_SECONDS', 'never'],
    ['UPSTREAM_REFERENCE_URLS', 'ghcr.io'],
    ['UPSTREAM_REFERENCE_URLS', 'evil.example=https://evil.example'],
    ['UPSTREAM_REFERENCE_URLS', 'docker.io=https://hub.example'],
    ['UPSTREAM_REFERENCE_URLS', 'ghcr.io=ghcr.example'],
    ['UPSTREAM_REFERENCE_URLS', 'ghcr.io=https://a.example,ghcr.io=https://b.example'],
  ])('rejects %s=%s and names the variable', (variable, value) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(new RegExp(`^Invalid configuration: ${variable}: `));
  });

  it('reads per-upstream reference URLs, normalized', () => {
    expect(loadConfig({}).upstreamReferenceUrls).toEqual({});
    expect(
      loadConfig({ UPSTREAM_REFERENCE_URLS: ' ghcr.io=https://GHCR.example/ , quay.io=http://127.0.0.1:5000' }).upstreamReferenceUrls,
    ).toEqual({
      'ghcr.io': 'https://ghcr.example',
      'quay.io': 'http://127.0.0.1:5000',
    });
  });

  it('reads the documented variables', () => {
    const config = loadConfig({
      PORT: '8080',
      PROBE_INTERVAL_SECONDS: '15',
      DATABASE_URL: 'postgresql://u:p@127.0.0.1:5432/mw',
      MIRRORWATCH_CATALOG: '/etc/mirrorwatch/catalog.yaml',
      ADMIN_TOKEN: 'a-very-long-admin-token',
      MIRRORWATCH_SERVE_WEB: 'false',
      ROLLUP_BUSY_PERCENT: '40',
      DASHBOARD_IDLE_STOP_SECONDS: '0',
    });
    expect(config).toMatchObject({
      dashboardIdleStopSeconds: 0,
      rollupBusyPercent: 40,
      port: 8080,
      probeIntervalSeconds: 15,
      databaseUrl: 'postgresql://u:p@127.0.0.1:5432/mw',
      catalogPath: '/etc/mirrorwatch/catalog.yaml',
      adminToken: 'a-very-long-admin-token',
      serveWeb: false,
    });
  });

  it('reads the outbound address settings', () => {
    expect(loadConfig({})).toMatchObject({ privateNetworkHosts: [], allowPrivateCheckTargets: false });
    expect(
      loadConfig({ PRIVATE_NETWORK_HOSTS: ' Mirror.Corp.example, 10.0.0.5,[fd00::5] ', ALLOW_PRIVATE_CHECK_TARGETS: 'true' }),
    ).toMatchObject({
      privateNetworkHosts: ['mirror.corp.example', '10.0.0.5', 'fd00::5'],
      allowPrivateCheckTargets: true,
    });
  });
});
