import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderContainerdHostsToml } from './containerd-hosts-toml.js';
import { renderDaemonJson } from './daemon-json.js';
import { InvalidMirrorError } from './export-errors.js';
import { expectGolden, SAMPLE_MIRRORS, SAMPLE_NORMALIZED } from './testing/golden.fixture.js';
import { renderK3sRegistriesYaml } from './k3s-registries-yaml.js';
import { renderRegistriesConf } from './registries-conf.js';

describe('golden files', () => {
  it.each([
    ['daemon.json', () => renderDaemonJson(SAMPLE_MIRRORS)],
    ['daemon.empty.json', () => renderDaemonJson([])],
    ['hosts.toml', () => renderContainerdHostsToml(SAMPLE_MIRRORS)],
    ['hosts.empty.toml', () => renderContainerdHostsToml([])],
    ['registries.conf', () => renderRegistriesConf(SAMPLE_MIRRORS)],
    ['registries.empty.conf', () => renderRegistriesConf([])],
    ['registries.yaml', () => renderK3sRegistriesYaml(SAMPLE_MIRRORS)],
    ['registries.empty.yaml', () => renderK3sRegistriesYaml([])],
  ])('%s', (name, render) => {
    expectGolden(name, render());
  });
});

describe('round trip: the output parses back to the mirrors, normalized, deduplicated, in order', () => {
  it('daemon.json', () => {
    expect(JSON.parse(renderDaemonJson(SAMPLE_MIRRORS))).toEqual({ 'registry-mirrors': SAMPLE_NORMALIZED });
  });

  it('containerd hosts.toml', () => {
    const parsed = parseToml(renderContainerdHostsToml(SAMPLE_MIRRORS)) as {
      server: string;
      host: Record<string, { capabilities: string[] }>;
    };
    expect(parsed.server).toBe('https://registry-1.docker.io');
    expect(Object.keys(parsed.host)).toEqual(SAMPLE_NORMALIZED);
    for (const host of Object.values(parsed.host)) expect(host.capabilities).toEqual(['pull', 'resolve']);
  });

  it('containerd hosts.toml with no mirror still has a host table (containerd 1.6 rejects server alone)', () => {
    const parsed = parseToml(renderContainerdHostsToml([])) as { host: Record<string, unknown> };
    expect(Object.keys(parsed.host)).toEqual(['https://registry-1.docker.io']);
  });

  it('registries.conf', () => {
    const parsed = parseToml(renderRegistriesConf(SAMPLE_MIRRORS)) as {
      registry: { prefix: string; location: string; mirror: { location: string; insecure?: boolean }[] }[];
    };
    expect(parsed.registry).toEqual([
      {
        prefix: 'docker.io',
        location: 'docker.io',
        mirror: [{ location: 'docker.m.daocloud.io' }, { location: 'docker.1ms.run' }, { location: '127.0.0.1:5001', insecure: true }],
      },
    ]);
  });

  it('registries.conf: http and https of one host collapse to the first', () => {
    const parsed = parseToml(renderRegistriesConf(['http://hub.example', 'https://hub.example'])) as {
      registry: { mirror: unknown[] }[];
    };
    expect(parsed.registry[0]?.mirror).toEqual([{ location: 'hub.example', insecure: true }]);
  });

  it('k3s registries.yaml', () => {
    expect(parseYaml(renderK3sRegistriesYaml(SAMPLE_MIRRORS))).toEqual({
      mirrors: { 'docker.io': { endpoint: SAMPLE_NORMALIZED } },
    });
  });
});

describe('every renderer refuses a mirror dockerd would refuse', () => {
  const renderers = [renderDaemonJson, renderContainerdHostsToml, renderRegistriesConf, renderK3sRegistriesYaml];
  it.each([
    ['https://mirror.example/v2', /mirror 2 \("https:\/\/mirror.example\/v2"\): path "\/v2" is not allowed/],
    ['mirror.example', /mirror 2 \("mirror.example"\): no scheme/],
    ['https://mirror.example"]\n[host."evil', /not a valid DNS name|not allowed/],
  ])('%j', (bad, message) => {
    for (const render of renderers) {
      expect(() => render(['https://ok.example', bad])).toThrow(InvalidMirrorError);
      expect(() => render(['https://ok.example', bad])).toThrow(message);
    }
  });
});
