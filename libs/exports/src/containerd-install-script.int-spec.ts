import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { containerdForTests } from '@mirrorwatch/lab';
import { renderContainerdInstallScript } from './containerd-install-script.js';
import type { UpstreamMirrors } from './upstream-endpoints.js';

/**
 * Runs the containerd install script with bash in a temporary root, with a
 * fake `systemctl` (logs restarts) and `ctr` (answers `version`), and has the
 * real containerd parse the config.toml it leaves (`containerd --config F
 * config dump`), so a broken TOML edit cannot pass.
 */
const containerd = containerdForTests();
const FAKE_SYSTEMCTL = '#!/usr/bin/env bash\necho "systemctl $*" >> "$FAKE_STATE/log"\n';
const FAKE_CTR = '#!/usr/bin/env bash\n[ "$1" = version ]\n';
const UPSTREAMS: UpstreamMirrors[] = [
  {
    upstream: 'registry.k8s.io',
    mirrors: [
      { url: 'https://k8s.m.daocloud.io', pathPrefix: null },
      { url: 'https://m.daocloud.io', pathPrefix: 'registry.k8s.io' },
    ],
  },
  { upstream: 'ghcr.io', mirrors: [{ url: 'https://ghcr.m.daocloud.io', pathPrefix: null }] },
  { upstream: 'quay.io', mirrors: [] },
];

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

function run(existing: string | null) {
  const root = mkdtempSync(join(tmpdir(), 'mw-install-containerd-'));
  roots.push(root);
  const bin = join(root, 'fake-bin');
  const state = join(root, 'fake-state');
  mkdirSync(bin);
  mkdirSync(state);
  mkdirSync(join(root, 'etc/containerd'), { recursive: true });
  writeFileSync(join(bin, 'systemctl'), FAKE_SYSTEMCTL);
  writeFileSync(join(bin, 'ctr'), FAKE_CTR);
  chmodSync(join(bin, 'systemctl'), 0o755);
  chmodSync(join(bin, 'ctr'), 0o755);
  const config = join(root, 'etc/containerd/config.toml');
  if (existing !== null) writeFileSync(config, existing);
  const script = join(root, 'install.sh');
  writeFileSync(script, renderContainerdInstallScript({ upstreams: UPSTREAMS, serverUrl: 'https://mirrorwatch.example' }));
  const result = spawnSync('bash', [script], {
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      ...process.env,
      PATH: `${bin}:${process.env['PATH'] ?? ''}`,
      MIRRORWATCH_ROOT: root,
      FAKE_STATE: state,
      MIRRORWATCH_WAIT_SECONDS: '2',
    },
  });
  const restarts = existsSync(join(state, 'log')) ? readFileSync(join(state, 'log'), 'utf8').trim().split('\n').length : 0;
  return { root, config, result, restarts, configText: () => (existsSync(config) ? readFileSync(config, 'utf8') : null) };
}

/** containerd's own reading of the file: the registry config_path it would use. */
function dumpedConfigPath(config: string): string | null {
  const dump = spawnSync(containerd.binaries?.containerdPath ?? 'containerd', ['--config', config, 'config', 'dump'], {
    encoding: 'utf8',
    timeout: 10_000,
  });
  expect(dump.status, dump.stderr).toBe(0);
  return /config_path = "([^"]*)"/.exec(dump.stdout)?.[1] ?? null;
}

describe.skipIf(containerd.skip)('install-containerd.sh', () => {
  it('fills the empty config_path of `containerd config default`, writes one hosts.toml per upstream with mirrors, restarts once', () => {
    const defaults = spawnSync(containerd.binaries?.containerdPath ?? 'containerd', ['config', 'default'], { encoding: 'utf8' }).stdout;
    expect(defaults).toMatch(/config_path = ""/);
    const first = run(defaults);
    expect(first.result.status, first.result.stderr).toBe(0);
    expect(dumpedConfigPath(first.config)).toBe('/etc/containerd/certs.d');
    expect(first.restarts).toBe(1);
    expect(readFileSync(join(first.root, 'etc/containerd/certs.d/registry.k8s.io/hosts.toml'), 'utf8')).toContain(
      '[host."https://m.daocloud.io/v2/registry.k8s.io"]',
    );
    expect(existsSync(join(first.root, 'etc/containerd/certs.d/ghcr.io/hosts.toml'))).toBe(true);
    expect(existsSync(join(first.root, 'etc/containerd/certs.d/quay.io'))).toBe(false);

    const again = run(first.configText());
    expect(again.result.status, again.result.stderr).toBe(0);
    expect(again.restarts).toBe(0);
    expect(again.result.stderr).toMatch(/apply without a restart/);
  });

  it('creates a config containerd accepts when there is none', () => {
    const fresh = run(null);
    expect(fresh.result.status, fresh.result.stderr).toBe(0);
    expect(dumpedConfigPath(fresh.config)).toBe('/etc/containerd/certs.d');
  });

  it('adds the key under an existing registry table instead of a second table', () => {
    const existing =
      'version = 2\n\n[plugins."io.containerd.grpc.v1.cri".registry]\n  [plugins."io.containerd.grpc.v1.cri".registry.mirrors]\n';
    const edited = run(existing);
    expect(edited.result.status, edited.result.stderr).toBe(0);
    expect(dumpedConfigPath(edited.config)).toBe('/etc/containerd/certs.d');
  });

  it('refuses, changing nothing, when config_path points elsewhere', () => {
    const elsewhere = 'version = 2\n[plugins."io.containerd.grpc.v1.cri".registry]\n  config_path = "/opt/certs"\n';
    const refused = run(elsewhere);
    expect(refused.result.status).toBe(1);
    expect(refused.result.stderr).toMatch(/config_path in .* is "\/opt\/certs"/);
    expect(refused.configText()).toBe(elsewhere);
    expect(refused.restarts).toBe(0);
    expect(existsSync(join(refused.root, 'etc/containerd/certs.d'))).toBe(false);
  });
});
