import { parse as parseToml } from 'smol-toml';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { renderContainerdInstallScript } from './containerd-install-script.js';
import { renderHostsToml } from './containerd-hosts-toml.js';
import { InvalidMirrorError } from './export-errors.js';
import { expectGolden } from './testing/golden.fixture.js';
import { renderK3sRegistriesYamlForUpstreams, renderRegistriesConfForUpstreams } from './upstream-client-configs.js';
import { InvalidUpstreamError, type UpstreamMirrors } from './upstream-endpoints.js';

/** Every upstream shape at once: host-style and path-prefix mirrors, http, a duplicate, an upstream with none. */
const SAMPLE: UpstreamMirrors[] = [
  {
    upstream: 'docker.io',
    mirrors: [
      { url: 'https://docker.m.daocloud.io', pathPrefix: null },
      { url: 'https://m.daocloud.io', pathPrefix: 'docker.io' },
    ],
  },
  {
    upstream: 'registry.k8s.io',
    mirrors: [
      { url: 'https://K8s.m.daocloud.io/', pathPrefix: null },
      { url: 'https://m.daocloud.io', pathPrefix: 'registry.k8s.io' },
      { url: 'https://k8s.m.daocloud.io', pathPrefix: null },
    ],
  },
  {
    upstream: 'ghcr.io',
    mirrors: [
      { url: 'https://m.daocloud.io', pathPrefix: 'ghcr.io' },
      { url: 'http://127.0.0.1:5002', pathPrefix: 'ghcr.io' },
    ],
  },
  { upstream: 'quay.io', mirrors: [] },
];

describe('golden files', () => {
  it.each([
    ['hosts.registry.k8s.io.toml', () => renderHostsToml('registry.k8s.io', SAMPLE[1]?.mirrors ?? [])],
    ['hosts.quay.io.empty.toml', () => renderHostsToml('quay.io', [])],
    ['registries.upstreams.conf', () => renderRegistriesConfForUpstreams(SAMPLE)],
    ['registries.upstreams.yaml', () => renderK3sRegistriesYamlForUpstreams(SAMPLE)],
    ['install-containerd.sh', () => renderContainerdInstallScript({ upstreams: SAMPLE, serverUrl: 'https://mirrorwatch.example' })],
  ])('%s', (name, render) => {
    expectGolden(name, render());
  });
});

describe('containerd hosts.toml per upstream', () => {
  it('names the upstream as server, a path-prefix mirror by its API path with override_path, in order, deduplicated', () => {
    const parsed = parseToml(renderHostsToml('registry.k8s.io', SAMPLE[1]?.mirrors ?? [])) as {
      server: string;
      host: Record<string, Record<string, unknown>>;
    };
    expect(parsed.server).toBe('https://registry.k8s.io');
    expect(parsed.host).toEqual({
      'https://k8s.m.daocloud.io': { capabilities: ['pull', 'resolve'] },
      'https://m.daocloud.io/v2/registry.k8s.io': { capabilities: ['pull', 'resolve'], override_path: true },
    });
  });

  it('keeps Docker Hub mirrors given as URLs byte-identical to the docker.io file', () => {
    expect(renderHostsToml('docker.io', [{ url: 'https://a.example', pathPrefix: null }])).toContain(
      'server = "https://registry-1.docker.io"',
    );
  });

  it.each([
    ['registry.example', /unknown registry "registry.example"/],
    ['https://ghcr.io', /is a URL/],
  ])('refuses the upstream %s', (upstream, message) => {
    expect(() => renderHostsToml(upstream, [])).toThrow(InvalidUpstreamError);
    expect(() => renderHostsToml(upstream, [])).toThrow(message);
  });

  it.each([
    [{ url: 'https://m.example/v2', pathPrefix: null }, /path "\/v2" is not allowed/],
    [{ url: 'https://m.example', pathPrefix: 'Bad Prefix' }, /path prefix .* is not a repository path component/],
    [{ url: 'https://m.example', pathPrefix: 'v2/ghcr.io' }, /includes \/v2/],
  ])('refuses the mirror %j', (endpoint, message) => {
    expect(() => renderHostsToml('ghcr.io', [endpoint])).toThrow(InvalidMirrorError);
    expect(() => renderHostsToml('ghcr.io', [endpoint])).toThrow(message);
  });
});

describe('registries.conf for every upstream', () => {
  it('has one [[registry]] per upstream with mirrors; a path-prefix location carries the prefix; http is insecure', () => {
    const parsed = parseToml(renderRegistriesConfForUpstreams(SAMPLE)) as { registry: unknown[] };
    expect(parsed.registry).toEqual([
      {
        prefix: 'docker.io',
        location: 'docker.io',
        mirror: [{ location: 'docker.m.daocloud.io' }, { location: 'm.daocloud.io/docker.io' }],
      },
      {
        prefix: 'registry.k8s.io',
        location: 'registry.k8s.io',
        mirror: [{ location: 'k8s.m.daocloud.io' }, { location: 'm.daocloud.io/registry.k8s.io' }],
      },
      {
        prefix: 'ghcr.io',
        location: 'ghcr.io',
        mirror: [{ location: 'm.daocloud.io/ghcr.io' }, { location: '127.0.0.1:5002/ghcr.io', insecure: true }],
      },
    ]);
  });

  it('with no mirror at all is a valid file that changes nothing', () => {
    expect(parseToml(renderRegistriesConfForUpstreams([{ upstream: 'ghcr.io', mirrors: [] }]))).toEqual({});
  });
});

describe('k3s registries.yaml for every upstream (parsed with the YAML 1.2 rules k3s uses)', () => {
  it('lists host-style endpoints; an upstream with only path-prefix mirrors gets them with a rewrite', () => {
    expect(parseYaml(renderK3sRegistriesYamlForUpstreams(SAMPLE))).toEqual({
      mirrors: {
        'docker.io': { endpoint: ['https://docker.m.daocloud.io'] },
        'registry.k8s.io': { endpoint: ['https://k8s.m.daocloud.io'] },
        'ghcr.io': { endpoint: ['https://m.daocloud.io', 'http://127.0.0.1:5002'], rewrite: { '^(.*)$': 'ghcr.io/$1' } },
      },
    });
  });

  it('says which upstreams lost path-prefix mirrors to the one-rewrite-per-registry rule', () => {
    expect(renderK3sRegistriesYamlForUpstreams(SAMPLE)).toMatch(/left out: a k3s rewrite applies to every endpoint/);
  });
});

describe('registry-root mirrors (the prefix before /v2)', () => {
  const ROOTED: UpstreamMirrors[] = [
    {
      upstream: 'ghcr.io',
      mirrors: [
        { url: 'https://p.example', pathPrefix: 'ghcr.io', pathStyle: 'registry-root' },
        { url: 'https://ghcr.m.daocloud.io', pathPrefix: null },
        { url: 'https://m.daocloud.io', pathPrefix: 'ghcr.io', pathStyle: 'repository-prefix' },
      ],
    },
    { upstream: 'quay.io', mirrors: [{ url: 'https://p.example', pathPrefix: 'quay.io', pathStyle: 'registry-root' }] },
  ];

  it('hosts.toml names the registry root with override_path, so containerd sends /<registry>/v2/...', () => {
    const parsed = parseToml(renderHostsToml('ghcr.io', ROOTED[0]?.mirrors ?? [])) as { host: Record<string, Record<string, unknown>> };
    expect(parsed.host).toEqual({
      'https://p.example/ghcr.io/v2': { capabilities: ['pull', 'resolve'], override_path: true },
      'https://ghcr.m.daocloud.io': { capabilities: ['pull', 'resolve'] },
      'https://m.daocloud.io/v2/ghcr.io': { capabilities: ['pull', 'resolve'], override_path: true },
    });
  });

  it('registries.conf leaves them out and says why, keeping the other mirrors', () => {
    const text = renderRegistriesConfForUpstreams(ROOTED);
    expect(text).toMatch(
      /^# Mirrors of ghcr\.io, quay\.io that serve the registry under a path before \/v2 are left out: a registries\.conf location puts \/v2 right after the host/m,
    );
    expect(text).not.toContain('p.example');
    expect((parseToml(text) as { registry: unknown[] }).registry).toEqual([
      { prefix: 'ghcr.io', location: 'ghcr.io', mirror: [{ location: 'ghcr.m.daocloud.io' }, { location: 'm.daocloud.io/ghcr.io' }] },
    ]);
  });

  it('k3s registries.yaml leaves them out and says why', () => {
    const text = renderK3sRegistriesYamlForUpstreams(ROOTED);
    expect(text).toMatch(
      /^# Mirrors of ghcr\.io, quay\.io that serve the registry under a path before \/v2 are left out: k3s puts \/v2 right after every endpoint/m,
    );
    expect(text).not.toContain('p.example');
    expect(parseYaml(text)).toEqual({ mirrors: { 'ghcr.io': { endpoint: ['https://ghcr.m.daocloud.io'] } } });
  });

  it('registries.conf with only registry-root mirrors does not claim there is no healthy mirror', () => {
    const text = renderRegistriesConfForUpstreams([ROOTED[1] as UpstreamMirrors]);
    expect(text).toContain('# No healthy mirror this file can express right now');
    expect(text).not.toContain('# No healthy mirror right now');
    expect(renderRegistriesConfForUpstreams([{ upstream: 'quay.io', mirrors: [] }])).toContain('# No healthy mirror right now');
  });
});
